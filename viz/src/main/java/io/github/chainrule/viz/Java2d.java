package io.github.chainrule.viz;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JDK's font cache, and an opt-in way to keep it out of {@code $HOME}.
 *
 * <p>On Linux, the first time a JVM draws or measures text, the JDK asks fontconfig for its fonts
 * and caches the answer in {@code ~/.java/fonts/<java.version>/fcinfo-*.properties}
 * ({@code sun.font.FcFontConfiguration}); later JVMs read it instead of asking fontconfig again.
 * The path is taken from {@code user.home} at that moment, and no property turns the cache off.
 * Every Java program that draws text does this (a Swing window, an XChart plot), so by default
 * viz leaves the cache alone: it is the JDK's file, in the JDK's folder.
 *
 * <p>With the system property {@code chainrule.viz.privateFontCache=true} (set it before the
 * first picture, e.g. {@code -Dchainrule.viz.privateFontCache=true}), the first picture triggers
 * the JDK's font set-up itself, with {@code user.home} pointing at a private temporary folder for
 * those few milliseconds, then restores {@code user.home} and deletes the folder. Other threads
 * reading {@code user.home} meanwhile see the temporary folder, which is why this is off by
 * default; use it in tests and batch jobs that must leave {@code $HOME} untouched. It has no
 * effect when the JVM has already drawn text.
 *
 * <p>viz never sets {@code java.awt.headless}: drawing into a {@code BufferedImage} needs no
 * display, and the JDK already runs headless on its own where there is none.
 */
final class Java2d {
    /** The system property that enables the private font cache. */
    static final String PRIVATE_FONT_CACHE = "chainrule.viz.privateFontCache";

    private static boolean ready;

    private Java2d() {
    }

    /** Called before Java2D first draws text; a no-op unless {@value #PRIVATE_FONT_CACHE} is {@code true}. */
    static synchronized void prepare() {
        if (ready) {
            return;
        }
        ready = true;
        if (!Boolean.getBoolean(PRIVATE_FONT_CACHE)) {
            return;
        }
        String home = System.getProperty("user.home");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("chainrule-viz-fonts");
            System.setProperty("user.home", tmp.toString());
            BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString("∂", 0, 3);
                g.getFontMetrics().stringWidth("x");
            } finally {
                g.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("render: cannot create a temporary folder for the font cache", e);
        } finally {
            if (home != null) {
                System.setProperty("user.home", home);
            }
            Engines.deleteTree(tmp);
        }
    }
}
