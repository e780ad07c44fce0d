package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The font that measures the text is the font that draws it, on any machine (it is bundled). */
class TextMetricsTest {
    @Test
    void widthsAreLiberationSansWhichHasTheMetricsOfArialAndHelvetica() {
        // Liberation Sans advance widths (2048 units per em): 'W' 1933, 'i' 455, '0' 1139, ' ' 569
        assertEquals(20 * 1933 / 2048.0, TextMetrics.width("W", 20, TextMetrics.Style.PLAIN), 1e-3);
        assertEquals(20 * 455 / 2048.0, TextMetrics.width("i", 20, TextMetrics.Style.PLAIN), 1e-3);
        assertEquals(11 * (1139 * 4 + 569) / 2048.0, TextMetrics.width("00 00", 11, TextMetrics.Style.PLAIN), 1e-3);
        assertTrue(TextMetrics.width("W[1]", 11, TextMetrics.Style.BOLD) > TextMetrics.width("W[1]", 11, TextMetrics.Style.PLAIN));
    }

    @Test
    void pngTextIsDrawnWithTheFontThatMeasuredIt() {
        String text = "WWWWWWWWWW";
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400pt\" height=\"40pt\" viewBox=\"0 0 400 40\">"
                + "<text x=\"10\" y=\"30\" font-family=\"Helvetica,sans-Serif\" font-size=\"20.00\">" + text + "</text></svg>";
        BufferedImage img = Engines.rasterize(svg, 1.0);
        int left = img.getWidth(), right = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 384) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        // the ink of ten W spans their advance minus the side bearings: Liberation Sans gives about
        // 188 points; DejaVu Sans, Java's usual fallback on Linux, would give about 197
        double advance = TextMetrics.width(text, 20, TextMetrics.Style.PLAIN);
        assertEquals(advance, right - left + 1, 3, "ink " + left + ".." + right + " against the measured advance " + advance);
    }
}
