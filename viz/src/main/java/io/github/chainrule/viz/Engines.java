package io.github.chainrule.viz;

import guru.nidi.graphviz.engine.EngineResult;
import guru.nidi.graphviz.engine.Format;
import guru.nidi.graphviz.engine.Graphviz;
import guru.nidi.graphviz.engine.GraphvizEngine;
import guru.nidi.graphviz.engine.GraphvizException;
import guru.nidi.graphviz.engine.Options;
import guru.nidi.graphviz.engine.Rasterizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Chooses and runs the Graphviz engine behind Graphviz-java: the {@code dot} program when it is
 * found (run as a pipe, DOT on stdin and SVG on stdout, so no temporary files), otherwise the
 * bundled engine, Graphviz compiled from WebAssembly to JVM bytecode ({@link WasmGraphviz}: pure
 * Java, any OS and CPU, nothing written to disk). PNG images are rasterized from the SVG by
 * svgSalamander, so both engines draw the same way. Rendering is serialized: Graphviz-java's
 * engine is global.
 */
final class Engines {
    /** How the bundled engine is described in messages and by {@link Render#engineFor}. */
    static final String BUNDLED_NAME = "bundled Graphviz 16.1 (WebAssembly compiled to Java bytecode)";
    static final String INSTALL_HINT = "install Graphviz for the dot program (Debian/Ubuntu: apt-get install graphviz;"
            + " macOS: brew install graphviz; Windows: winget install graphviz; others: https://graphviz.org/download/)";

    private static GraphvizEngine installed;
    private static WasmGraphviz bundled;
    private static DotProgram dotEngine;
    private static String lastRenderedBy;

    private Engines() {
    }

    /** The SVG text Graphviz makes of {@code dot}. */
    static synchronized String svg(String dot, Render.Engine choice) {
        Java2d.prepare(); // before any text is measured or drawn: the opt-in private font cache
        Render.Engine want = resolve(choice);
        GraphvizEngine engine = want == Render.Engine.DOT ? dotEngine() : bundledEngine(choice);
        if (installed != engine) {
            Graphviz.useEngine(engine);
            installed = engine;
        }
        String name = describe(want);
        try {
            String svg = TextMetrics.forSvg(Graphviz.fromString(dot).render(Format.SVG).toString());
            lastRenderedBy = name;
            return svg;
        } catch (GraphvizException e) {
            throw new IllegalStateException("render: Graphviz (" + name + ") failed: " + e.getMessage(), e);
        }
    }

    /** The picture Graphviz makes of {@code dot}, {@code scale} times its natural size (72 dpi). */
    static synchronized BufferedImage png(String dot, Render.Engine choice, double scale) {
        return rasterize(svg(dot, choice), scale);
    }

    /** Which engine rendered the last picture in this JVM ({@link #describe} of it), or null before the first. */
    static synchronized String lastRenderedBy() {
        return lastRenderedBy;
    }

    /**
     * Draws SVG text into an image with svgSalamander (as Graphviz-java's rasterizer does), on
     * white, with the fonts the layout was measured with ({@link TextMetrics}).
     */
    static BufferedImage rasterize(String svg, double scale) {
        String fixed = TextMetrics.forRasterizing(svg).replace("=\"transparent\"", "=\"none\"");
        com.kitfox.svg.SVGUniverse universe = new com.kitfox.svg.SVGUniverse();
        java.net.URI uri = universe.loadSVG(new java.io.StringReader(fixed), "chainrule-drawing");
        com.kitfox.svg.SVGDiagram diagram = universe.getDiagram(uri);
        if (diagram == null) {
            throw new IllegalStateException("render: the SVG from Graphviz could not be read for rasterizing");
        }
        diagram.setIgnoringClipHeuristic(true);
        int w = Math.max(1, (int) Math.ceil(diagram.getWidth() * scale));
        int h = Math.max(1, (int) Math.ceil(diagram.getHeight() * scale));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_FRACTIONALMETRICS,
                    java.awt.RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_STROKE_CONTROL, java.awt.RenderingHints.VALUE_STROKE_PURE);
            g.scale(scale, scale);
            diagram.render(g);
        } catch (com.kitfox.svg.SVGException e) {
            throw new IllegalStateException("render: rasterizing the SVG failed: " + e.getMessage(), e);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Which engine {@code choice} resolves to on this machine, e.g. {@code dot program /usr/bin/dot}. */
    static synchronized String describe(Render.Engine choice) {
        Render.Engine e = choice == Render.Engine.AUTO ? (dotProgram() != null ? Render.Engine.DOT : Render.Engine.BUNDLED)
                : choice;
        if (e == Render.Engine.BUNDLED) {
            return BUNDLED_NAME;
        }
        Path dot = dotProgram();
        return dot != null ? "dot program " + dot : "dot program (none found)";
    }

    /** DOT when asked for (and found) or, for AUTO, when found; otherwise BUNDLED. */
    private static Render.Engine resolve(Render.Engine choice) {
        Path dot = dotProgram();
        if (choice == Render.Engine.DOT && dot == null) {
            throw new GraphvizUnavailableException("render: engine DOT was asked for, but no dot program was found on"
                    + " the PATH (nor in the system property chainrule.dot); hint: " + INSTALL_HINT
                    + ", or use Engine.AUTO for the bundled engine", null);
        }
        return choice == Render.Engine.DOT || choice == Render.Engine.AUTO && dot != null
                ? Render.Engine.DOT : Render.Engine.BUNDLED;
    }

    private static GraphvizEngine dotEngine() {
        Path exe = dotProgram();
        if (dotEngine == null || !dotEngine.exe.equals(exe)) {
            dotEngine = new DotProgram(exe);
        }
        return dotEngine;
    }

    /** The bundled engine, started once per JVM; a clear error when it cannot start. */
    private static GraphvizEngine bundledEngine(Render.Engine choice) {
        if (bundled == null) {
            Throwable failure = null;
            WasmGraphviz engine = new WasmGraphviz();
            try {
                engine.render("digraph { }", "dot");
                bundled = engine;
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            }
            if (failure != null) {
                String why = failure instanceof NoClassDefFoundError
                        ? "its classes are missing from the class path (" + failure.getMessage() + ")"
                        : failure.getMessage() != null ? failure.getMessage() : failure.toString();
                String head = choice == Render.Engine.AUTO
                        ? "render: no Graphviz engine works: no dot program was found on the PATH, and the "
                        + BUNDLED_NAME + " cannot start: "
                        : "render: the " + BUNDLED_NAME + " cannot start: ";
                throw new GraphvizUnavailableException(head + why + "; hint: " + INSTALL_HINT
                        + ", or write the DOT text with dot() or toDot() and render it elsewhere", failure);
            }
        }
        return bundled;
    }

    /**
     * The {@code dot} executable: the system property {@code chainrule.dot} (a path, or {@code none}
     * for no {@code dot} at all), else the first {@code dot} on the PATH, else null.
     */
    static Path dotProgram() {
        String explicit = System.getProperty("chainrule.dot");
        if (explicit != null && !explicit.isBlank()) {
            if (explicit.equals("none")) {
                return null;
            }
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "dot");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("render: cannot delete the temporary folder " + dir, e);
        }
    }

    /** Graphviz-java engine that pipes DOT through the {@code dot} program: no temporary files. */
    static final class DotProgram implements GraphvizEngine {
        private final Path exe;

        DotProgram(Path exe) {
            this.exe = exe;
        }

        @Override
        public void init(Consumer<GraphvizEngine> onOk, Consumer<GraphvizEngine> onError) {
            onOk.accept(this);
        }

        @Override
        public EngineResult execute(String src, Options options, Rasterizer rasterizer) {
            try {
                Process p = new ProcessBuilder(exe.toString(), "-Tsvg").start();
                CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
                CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
                try (OutputStream in = p.getOutputStream()) {
                    in.write(src.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new GraphvizException(exe + " did not finish within 120 s");
                }
                String err = new String(stderr.join(), StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0) {
                    throw new GraphvizException(exe + " exited with " + p.exitValue() + (err.isEmpty() ? "" : ": " + err));
                }
                return EngineResult.fromString(new String(stdout.join(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new GraphvizException("cannot run " + exe + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GraphvizException("interrupted while running " + exe, e);
            }
        }

        private static byte[] readAll(InputStream in) {
            try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
        }
    }
}
