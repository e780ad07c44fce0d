package io.github.chainrule.viz;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares Java2D for headless text rendering without leaving files behind. On Linux the JDK
 * caches its fontconfig result in {@code ~/.java/fonts/<version>} the first time text is drawn;
 * this class triggers that first use with {@code user.home} pointing at a private temporary
 * folder, then restores it and deletes the folder. It runs once per JVM, before the first PNG or
 * plot; other threads reading {@code user.home} during those few milliseconds would see the
 * temporary folder.
 */
final class Java2d {
    private static boolean ready;

    private Java2d() {
    }

    static synchronized void prepare() {
        if (ready) {
            return;
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        String home = System.getProperty("user.home");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("chainrule-viz-fonts");
            System.setProperty("user.home", tmp.toString());
            BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("∂", 0, 3);
            g.getFontMetrics().stringWidth("x");
            g.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException("render: cannot create a temporary folder for the font cache", e);
        } finally {
            if (home != null) {
                System.setProperty("user.home", home);
            }
            Engines.deleteTree(tmp);
        }
        ready = true;
    }
}
