package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Rendering through Graphviz-java with each engine, in this JVM: the bundled engine always, the
 * {@code dot} program where it is installed. {@link FreshJvmRenderingTest} renders every kind of
 * drawing in a fresh JVM that has no {@code dot}.
 */
class RenderingTest {
    private static final String[] LABELS = {"a = 5", "b = 3", "c = 2", "u = 6", "v = 11", "J = 33",
        "da = 3", "db = 6", "dc = 9", "∂u/∂b = c = 2", "dJ/db = 3 · 1 · 2 = 6"};

    @TempDir
    Path dir;

    @AfterEach
    void resetHooks() {
        System.clearProperty("chainrule.dot");
    }

    @Test
    void bundledEngineWritesWellFormedSvgWithTheLabels() throws Exception {
        Path svg = dir.resolve("out/j.svg");
        Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).toSvg(svg);
        assertEquals(Engines.BUNDLED_NAME, Engines.lastRenderedBy());
        checkSvg(svg);
        // every text names the font it was measured with, then its metric-compatible stand-ins
        String text = Files.readString(svg);
        assertTrue(text.contains("font-family=\"" + TextMetrics.SVG_FAMILY + "\""), text);
        assertFalse(text.replace("font-family=\"" + TextMetrics.SVG_FAMILY + "\"", "").contains("font-family"), text);
    }

    @Test
    void autoUsesTheBundledEngineWhenDotIsHidden() throws Exception {
        System.setProperty("chainrule.dot", "none");
        assertEquals(Engines.BUNDLED_NAME, Render.engineFor(Render.Engine.AUTO));
        Render.graph(Graphs.courseJ()).toSvg(dir.resolve("j.svg"));
        assertEquals(Engines.BUNDLED_NAME, Engines.lastRenderedBy());
        checkSvg(dir.resolve("j.svg"));
    }

    @Test
    void bundledEngineWritesPngThatDecodes() throws Exception {
        Path png = dir.resolve("j.png");
        Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).toPng(png);
        assertEquals(Engines.BUNDLED_NAME, Engines.lastRenderedBy());
        checkPng(png);
    }

    @Test
    void switchingEnginesBackAndForthUsesTheOneAskedFor() throws Exception {
        assumeTrue(Engines.dotProgram() != null, "no dot program on the PATH");
        for (Render.Engine e : new Render.Engine[] {Render.Engine.BUNDLED, Render.Engine.DOT, Render.Engine.BUNDLED}) {
            Render.graph(Graphs.courseJ()).engine(e).svg();
            assertEquals(Engines.describe(e), Engines.lastRenderedBy());
        }
    }

    @Test
    void dotProgramWritesWellFormedSvgAndPng() throws Exception {
        assumeTrue(Engines.dotProgram() != null, "no dot program on the PATH");
        Path svg = dir.resolve("j.svg"), png = dir.resolve("j.png");
        Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).toSvg(svg);
        assertTrue(Engines.lastRenderedBy().startsWith("dot program "), Engines.lastRenderedBy());
        Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).toPng(png);
        checkSvg(svg);
        checkPng(png);
        assertTrue(Render.engineFor(Render.Engine.AUTO).startsWith("dot program "));
    }

    @Test
    void theBundledEngineRendersManyGraphsAndRecoversFromBadDot() {
        String bad = "digraph { a -> }";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Engines.svg(bad, Render.Engine.BUNDLED));
        assertTrue(e.getMessage().startsWith("render: Graphviz (" + Engines.BUNDLED_NAME + ") failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        for (int i = 0; i < 30; i++) {
            assertTrue(Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).svg().contains("J = 33"));
        }
    }

    @Test
    void askingForDotWithoutItSaysSo() {
        System.setProperty("chainrule.dot", "none");
        GraphvizUnavailableException e = assertThrows(GraphvizUnavailableException.class,
                () -> Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).svg());
        assertTrue(e.getMessage().startsWith("render: engine DOT was asked for, but no dot program was found on the PATH"),
                e.getMessage());
        assertTrue(e.getMessage().contains("hint: install Graphviz"), e.getMessage());
    }

    @Test
    void aFolderIsNotAFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Render.graph(Graphs.courseJ()).toDot(dir));
        assertEquals("toDot: " + dir.toAbsolutePath() + " is a folder; give a file name", e.getMessage());
    }

    private static void checkSvg(Path svg) throws Exception {
        String text = Files.readString(svg);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
        assertEquals("svg", doc.getDocumentElement().getLocalName() != null
                ? doc.getDocumentElement().getLocalName() : doc.getDocumentElement().getTagName());
        String content = doc.getDocumentElement().getTextContent();
        for (String label : LABELS) {
            assertTrue(content.contains(label), label + " missing from the SVG text");
        }
    }

    private static void checkPng(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "not a decodable image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 50, img.getWidth() + "x" + img.getHeight());
        assertTrue(darkPixels(img) > 100, "the image is blank");
    }

    /** Dark pixels among every second pixel of every second row. */
    static int darkPixels(BufferedImage img) {
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                dark += lum < 200 ? 1 : 0;
            }
        }
        return dark;
    }
}
