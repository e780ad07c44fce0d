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
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Rendering through Graphviz-java with each engine. The bundled engine must work on a machine
 * with only a JDK; the {@code dot} tests run only where Graphviz is installed.
 */
class RenderingTest {
    private static final String[] LABELS = {"a = 5", "b = 3", "c = 2", "u = 6", "v = 11", "J = 33",
        "da = 3", "db = 6", "dc = 9", "∂u/∂b = c = 2", "dJ/db = 3 · 1 · 2 = 6"};

    @TempDir
    Path dir;

    @AfterEach
    void resetHooks() {
        Engines.pathForTesting = null;
        Engines.bundledDisabledForTesting = false;
        Engines.forgetEngine();
    }

    @Test
    void bundledEngineWritesWellFormedSvgWithTheLabels() throws Exception {
        Engines.pathForTesting = ""; // as on a machine without Graphviz: AUTO must fall back to the bundled engine
        Engines.forgetEngine();
        Path svg = dir.resolve("out/j.svg");
        Render.graph(Graphs.courseJ()).toSvg(svg);
        checkSvg(svg);
        assertEquals("bundled viz.js on J2V8", Render.engineFor(Render.Engine.AUTO));
    }

    @Test
    void bundledEngineWritesPngThatDecodes() throws Exception {
        Path png = dir.resolve("j.png");
        Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).toPng(png);
        checkPng(png);
    }

    @Test
    void dotProgramWritesWellFormedSvgAndPng() throws Exception {
        assumeTrue(Engines.dotProgram() != null, "no dot program on the PATH");
        Path svg = dir.resolve("j.svg"), png = dir.resolve("j.png");
        Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).toSvg(svg);
        Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).toPng(png);
        checkSvg(svg);
        checkPng(png);
        assertTrue(Render.engineFor(Render.Engine.AUTO).startsWith("dot program "));
    }

    @Test
    void collapsedDeepNetworkRenders() throws Exception {
        Path png = dir.resolve("net.png");
        Render.graph(Graphs.deepNetwork(5, 2, 4, 3, 3, 1)).collapseLayers(true).toPng(png);
        checkPng(png);
    }

    @Test
    void askingForDotWithoutItSaysSo() {
        Engines.pathForTesting = "";
        Engines.forgetEngine();
        GraphvizUnavailableException e = assertThrows(GraphvizUnavailableException.class,
                () -> Render.graph(Graphs.courseJ()).engine(Render.Engine.DOT).svg());
        assertTrue(e.getMessage().startsWith("render: engine DOT was asked for, but no dot program was found on the PATH"),
                e.getMessage());
        assertTrue(e.getMessage().contains("hint: install Graphviz"), e.getMessage());
    }

    @Test
    void noWorkingEngineGivesOneClearMessage() {
        Engines.pathForTesting = "";
        Engines.bundledDisabledForTesting = true;
        Engines.forgetEngine();
        GraphvizUnavailableException e = assertThrows(GraphvizUnavailableException.class,
                () -> Render.graph(Graphs.courseJ()).toPng(dir.resolve("never.png")));
        assertTrue(e.getMessage().startsWith("render: no Graphviz engine works: no dot program was found on the PATH,"
                + " and the bundled engine (viz.js on J2V8, x86_64 Linux only) cannot start: disabled for this test;"
                + " hint: install Graphviz"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("never.png")));
        // the DOT text needs no engine
        assertTrue(Render.graph(Graphs.courseJ()).dot().startsWith("digraph chainrule {"));
    }

    /**
     * Renders with every engine on this machine (and draws both plots) in a separate JVM whose
     * {@code user.home}, {@code $HOME}, {@code java.io.tmpdir} and {@code $TMPDIR} are fresh empty
     * folders, with the private font cache on: afterwards both folders must still be empty, and
     * the output folder must hold exactly the pictures (no temporary files).
     */
    @Test
    void renderingLeavesNothingInHomeOrTheTempFolder() throws Exception {
        Fork fork = fork(true);
        assertEquals(List.of(), fork.home, "left in $HOME");
        assertEquals(List.of(), fork.tmp, "left in the temporary folder");
        assertEquals(fork.reported, fork.out, "the output folder holds exactly the pictures");
        assertTrue(fork.out.contains("cost.png") && fork.out.contains("boundary.png"), fork.out.toString());
        if (Engines.dotProgram() != null) {
            assertTrue(fork.out.contains("dot.svg") && fork.out.contains("dot.png"), fork.out.toString());
        }
    }

    /**
     * By default viz does not redirect the JDK's font cache: the only thing that may appear in
     * {@code $HOME} is the JDK's own {@code .java/fonts/<java.version>/fcinfo-<host>-<os>-<version>-<locale>.properties}
     * (written by every JVM that draws text on Linux; the OS name may contain a slash, e.g.
     * {@code Debian GNU/Linux}); nothing in the temporary folder.
     */
    @Test
    void byDefaultOnlyTheJdksOwnFontCacheMayAppearInHome() throws Exception {
        Fork fork = fork(false);
        assertEquals(List.of(), fork.tmp, "left in the temporary folder");
        for (String p : fork.home) {
            assertTrue(p.matches("\\.java(/fonts(/" + java.util.regex.Pattern.quote(System.getProperty("java.version"))
                    + "(/fcinfo-.*)?)?)?"), "not the JDK's font cache: " + p + " in " + fork.home);
        }
        assertEquals(fork.reported, fork.out);
    }

    private record Fork(List<String> home, List<String> tmp, List<String> out, List<String> reported) {
    }

    /** Runs {@link LitterCheck} in a new JVM with fresh home and temporary folders; returns what each holds afterwards. */
    private Fork fork(boolean privateFontCache) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home")), tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp,
                "-D" + Java2d.PRIVATE_FONT_CACHE + "=" + privateFontCache));
        if (System.getProperty("chainrule.dot") != null) {
            cmd.add("-Dchainrule.dot=" + System.getProperty("chainrule.dot"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LitterCheck.class.getName(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TMPDIR", tmp.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "the check did not finish");
        assertEquals(0, p.exitValue(), output);
        List<String> reported = output.lines().filter(l -> l.matches("[a-z]+\\.(png|svg)")).sorted()
                .collect(Collectors.toList());
        return new Fork(listing(home), listing(tmp), listing(out), reported);
    }

    /** Every file and folder under {@code root}, relative, sorted. */
    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(q -> !q.equals(root)).map(q -> root.relativize(q).toString()).sorted()
                    .collect(Collectors.toList());
        }
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
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                dark += lum < 200 ? 1 : 0;
            }
        }
        assertTrue(dark > 100, "the image is blank");
    }
}
