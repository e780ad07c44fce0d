package io.github.chainrule.viz;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The size of text in a drawing, measured with the font the drawing is drawn with: Liberation
 * Sans (SIL Open Font License), bundled with viz through {@code openpdf-fonts-extra}, so every
 * machine measures the same widths. Liberation Sans has the metrics of Arial and Helvetica, and
 * the glyphs chainrule draws (∂ σ Σ × − → ᵀ ‖ ·).
 *
 * <p>Graphviz does not measure text itself here: its WebAssembly build has no font library and
 * estimates widths from built-in tables that give every non-ASCII character the width of a space,
 * and a {@code dot} program measures with whatever fonts its machine has. So {@link DotWriter}
 * gives each text cell a minimum size from these metrics, the SVG names Liberation Sans first
 * (then Arial and Helvetica, metric-compatible), and PNG images are drawn with the bundled font
 * itself: the text fits with either engine.
 */
final class TextMetrics {
    /** The font family every picture is drawn with. */
    static final String FAMILY = "Liberation Sans";
    /** The SVG {@code font-family}: the bundled font, then the two whose metrics it shares. */
    static final String SVG_FAMILY = "Liberation Sans,Arial,Helvetica,sans-serif";
    /** Line height as a multiple of the font size, as Graphviz lays out lines. */
    static final double LINE_SPACING = 1.2;

    /** The style of a run of text. */
    enum Style {
        PLAIN("LiberationSans-Regular.ttf"),
        BOLD("LiberationSans-Bold.ttf"),
        ITALIC("LiberationSans-Italic.ttf");

        private final String file;

        Style(String file) {
            this.file = file;
        }
    }

    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
    private static final Pattern FONT_FAMILY = Pattern.compile("font-family=\"[^\"]*\"");
    private static Map<Style, Font> fonts;

    private TextMetrics() {
    }

    /** The advance width of {@code text} in points at {@code points} size. */
    static double width(String text, double points, Style style) {
        return font(style).deriveFont((float) points).getStringBounds(text, FRC).getWidth();
    }

    /** Height above the baseline of the tallest glyphs, in points. */
    static double ascent(double points) {
        return font(Style.PLAIN).deriveFont((float) points).getLineMetrics("Hd", FRC).getAscent();
    }

    /** Depth below the baseline of the deepest glyphs, in points. */
    static double descent(double points) {
        return font(Style.PLAIN).deriveFont((float) points).getLineMetrics("gy", FRC).getDescent();
    }

    /** The SVG with every {@code font-family} set to {@link #SVG_FAMILY}. */
    static String forSvg(String svg) {
        return FONT_FAMILY.matcher(svg).replaceAll("font-family=\"" + SVG_FAMILY + "\"");
    }

    /** The SVG with every {@code font-family} set to the bundled font alone, which is registered with Java2D. */
    static String forRasterizing(String svg) {
        font(Style.PLAIN); // registers the fonts
        return FONT_FAMILY.matcher(svg).replaceAll("font-family=\"" + FAMILY + "\"");
    }

    /** The bundled font in {@code style}, size 1. */
    static synchronized Font font(Style style) {
        if (fonts == null) {
            Java2d.prepare(); // the JDK's font set-up may write its cache: let Java2d decide where
            Map<Style, Font> loaded = new EnumMap<>(Style.class);
            GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
            for (Style s : Style.values()) {
                try (InputStream in = TextMetrics.class.getResourceAsStream("/liberation/" + s.file)) {
                    if (in == null) {
                        throw new IllegalStateException("viz: the font liberation/" + s.file
                                + " is missing from the class path (it comes with com.github.librepdf:openpdf-fonts-extra)");
                    }
                    Font f = Font.createFont(Font.TRUETYPE_FONT, in);
                    ge.registerFont(f); // so that the rasterizer's font-family="Liberation Sans" finds it
                    loaded.put(s, f.deriveFont(1f)); // the face is already bold or italic: no synthetic style
                } catch (IOException e) {
                    throw new UncheckedIOException("viz: cannot read the font liberation/" + s.file, e);
                } catch (FontFormatException e) {
                    throw new IllegalStateException("viz: the font liberation/" + s.file + " is damaged", e);
                }
            }
            fonts = loaded;
        }
        return fonts.get(style);
    }
}
