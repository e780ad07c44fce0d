package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of drawing, rendered on the first call of a new JVM, as a user without Graphviz
 * gets it: the JVM runs {@link FreshJvmDrawings} with a {@code PATH} that has no {@code dot}
 * (whatever this machine has installed) and fresh, empty home and temporary folders. The child
 * reports the engine that rendered each picture, so a test of the bundled engine cannot pass
 * through {@code dot}. Where {@code dot} is installed, the same drawings are rendered through it too.
 */
class FreshJvmRenderingTest {
    @TempDir
    Path dir;

    @Test
    void withoutDotEveryDrawingRendersWithTheBundledEngineOnTheFirstCallAndLeavesNothingBehind() throws Exception {
        Fork fork = fork(pathWithoutDot(), true);
        assertTrue(fork.output.startsWith("dot: none\n"), fork.output);
        checkDrawings(fork, Engines.BUNDLED_NAME);
        assertEquals(List.of(), fork.home, "left in $HOME");
        assertEquals(List.of(), fork.tmp, "left in the temporary folder");
    }

    @Test
    void withDotEveryDrawingRendersWithDot() throws Exception {
        Path dot = Engines.dotProgram();
        assumeTrue(dot != null, "no dot program on this machine");
        Fork fork = fork(System.getenv("PATH"), true);
        checkDrawings(fork, "dot program " + dot);
        assertEquals(List.of(), fork.tmp, "left in the temporary folder");
    }

    /**
     * A JVM without {@code dot} whose class path lacks the bundled engine's compiled Graphviz (as a
     * repackaged jar might): the drawing fails with one message that names what was tried and how to
     * install Graphviz, and the DOT text is written beside the requested picture.
     */
    @Test
    void withoutAnyEngineTheDotTextIsWrittenBesideThePictureAndTheMessageSaysWhatToDo() throws Exception {
        List<String> classPath = new ArrayList<>();
        Path stripped = dir.resolve("classes-without-graphviz");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p.resolve("io/github/chainrule/viz/graphviz"))) {
                copyWithout(p, stripped, "io/github/chainrule/viz/graphviz/GraphvizModule");
                classPath.add(stripped.toString());
            } else {
                classPath.add(entry);
            }
        }
        assertTrue(classPath.contains(stripped.toString()), "the compiled Graphviz was not found on " + classPath);
        Fork fork = fork(pathWithoutDot(), true, String.join(File.pathSeparator, classPath), "no-engine");
        Path png = fork.outDir.resolve("pictures/j.png"), dot = fork.outDir.resolve("pictures/j.dot");
        String message = fork.output.lines().filter(l -> l.startsWith("toPng: ")).findFirst().orElse(fork.output);
        assertTrue(message.startsWith("toPng: " + png + " was not drawn: render: no Graphviz engine works: no dot program"
                + " was found on the PATH, and the " + Engines.BUNDLED_NAME + " cannot start: its classes are missing"
                + " from the class path"), message);
        assertTrue(message.contains("hint: install Graphviz for the dot program (Debian/Ubuntu: apt-get install graphviz;"
                + " macOS: brew install graphviz; Windows: winget install graphviz"), message);
        assertTrue(message.endsWith("; the DOT text is in " + dot + ": render it where Graphviz is installed with dot -Tpng "
                + dot + " -o " + png), message);
        assertEquals(List.of("pictures", "pictures/j.dot"), fork.out);
        assertEquals(Render.graph(Graphs.courseJ()).dot(), Files.readString(dot));
    }

    /** Copies the folder {@code from} into {@code to}, leaving out files whose relative path starts with {@code prefix}. */
    private static void copyWithout(Path from, Path to, String prefix) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = from.relativize(p).toString().replace(File.separatorChar, '/');
                if (rel.startsWith(prefix)) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
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
        Fork fork = fork(pathWithoutDot(), false);
        assertEquals(List.of(), fork.tmp, "left in the temporary folder");
        for (String p : fork.home) {
            assertTrue(p.matches("\\.java(/fonts(/" + java.util.regex.Pattern.quote(System.getProperty("java.version"))
                    + "(/fcinfo-.*)?)?)?"), "not the JDK's font cache: " + p + " in " + fork.home);
        }
    }

    /** Each picture reported by the child exists, was rendered by {@code engine}, decodes, and (SVG) has all its text inside its shapes. */
    private void checkDrawings(Fork fork, String engine) throws Exception {
        List<String> pictures = new ArrayList<>();
        for (String name : FreshJvmDrawings.drawings().keySet()) {
            pictures.add(name + ".svg " + engine);
            pictures.add(name + ".png " + engine);
        }
        pictures.add("boundary.png plot");
        pictures.add("cost.png plot");
        List<String> reported = fork.output.lines().skip(1).collect(Collectors.toList());
        assertEquals(pictures, reported, fork.output);
        List<String> files = reported.stream().map(l -> l.substring(0, l.indexOf(' '))).sorted().collect(Collectors.toList());
        assertEquals(files, fork.out, "the output folder holds exactly the pictures");
        for (String f : files) {
            Path p = fork.outDir.resolve(f);
            if (f.endsWith(".svg")) {
                String svg = Files.readString(p);
                assertTrue(SvgTextFit.textCount(svg) >= 5, f + " has almost no text");
                assertEquals(List.of(), SvgTextFit.problems(svg), f + ": text outside its shape");
            } else {
                BufferedImage img = ImageIO.read(p.toFile());
                assertNotNull(img, f + " is not a decodable image");
                assertTrue(RenderingTest.darkPixels(img) > 100, f + " is blank");
            }
        }
    }

    /**
     * This JVM's PATH with {@code dot} taken out: each folder that holds a {@code dot} is replaced
     * by a folder of links to everything else in it, so the child still finds every other program.
     */
    private String pathWithoutDot() throws Exception {
        List<String> dirs = new ArrayList<>();
        int k = 0;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path folder = d.isEmpty() ? null : Path.of(d);
            if (folder == null || !Files.exists(folder.resolve("dot"))) {
                dirs.add(d);
                continue;
            }
            Path shadow = Files.createDirectories(dir.resolve("path-without-dot-" + k++));
            try (Stream<Path> entries = Files.list(folder)) {
                for (Path e : (Iterable<Path>) entries::iterator) {
                    if (!e.getFileName().toString().equals("dot")) {
                        Files.createSymbolicLink(shadow.resolve(e.getFileName()), e);
                    }
                }
            }
            dirs.add(shadow.toString());
        }
        return String.join(File.pathSeparator, dirs);
    }

    private record Fork(String output, Path outDir, List<String> out, List<String> home, List<String> tmp) {
    }

    /** Runs {@link FreshJvmDrawings} in a new JVM with {@code path} and fresh home and temporary folders. */
    private Fork fork(String path, boolean privateFontCache) throws Exception {
        return fork(path, privateFontCache, System.getProperty("java.class.path"), null);
    }

    /** Runs {@link FreshJvmDrawings} (with {@code mode}, if not null) on {@code classPath}. */
    private Fork fork(String path, boolean privateFontCache, String classPath, String mode) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home")), tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp,
                "-D" + Java2d.PRIVATE_FONT_CACHE + "=" + privateFontCache,
                "-cp", classPath, FreshJvmDrawings.class.getName(), out.toString()));
        if (mode != null) {
            cmd.add(mode);
        }
        Path log = dir.resolve("child-output.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        Process p = pb.start();
        // wait first, output to a file: a child that hangs must fail the test, not block it
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 300 s; it printed:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return new Fork(output, out, listing(out), listing(home), listing(tmp));
    }

    /** Every file and folder under {@code root}, relative, sorted. */
    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(q -> !q.equals(root)).map(q -> root.relativize(q).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }
}
