package io.github.chainrule.viz;

import guru.nidi.graphviz.engine.EngineResult;
import guru.nidi.graphviz.engine.Format;
import guru.nidi.graphviz.engine.Graphviz;
import guru.nidi.graphviz.engine.GraphvizEngine;
import guru.nidi.graphviz.engine.GraphvizException;
import guru.nidi.graphviz.engine.GraphvizV8Engine;
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
 * bundled viz.js on J2V8, whose native library is extracted into a private temporary folder that
 * is deleted once the library is loaded. PNG images are rasterized from the SVG by Graphviz-java
 * (svgSalamander), so both engines draw the same way. Rendering is serialized: Graphviz-java's
 * engine is global.
 */
final class Engines {
    /** Test hook: the PATH searched for {@code dot} ({@code null}: the real one). */
    static String pathForTesting;
    /** Test hook: pretend the bundled engine cannot start. */
    static boolean bundledDisabledForTesting;

    private static Render.Engine installed;
    private static Throwable bundledFailure;
    private static boolean bundledTried;

    private Engines() {
    }

    /** Test hook: choose the engine again at the next render. */
    static synchronized void forgetEngine() {
        installed = null;
    }

    /** The SVG text Graphviz makes of {@code dot}. */
    static synchronized String svg(String dot, Render.Engine choice) {
        use(choice);
        try {
            return Graphviz.fromString(dot).render(Format.SVG).toString();
        } catch (GraphvizException e) {
            throw new IllegalStateException("render: Graphviz (" + describe(installed) + ") failed: " + e.getMessage(), e);
        }
    }

    /** The picture Graphviz makes of {@code dot}, {@code scale} times its natural size (72 dpi). */
    static synchronized BufferedImage png(String dot, Render.Engine choice, double scale) {
        return rasterize(svg(dot, choice), scale);
    }

    /**
     * Draws SVG text into an image with svgSalamander (as Graphviz-java's rasterizer does), on
     * white, after mapping the SVG's font families to Java's logical {@code SansSerif} so that
     * every label finds a font with its glyphs (∂, σ, Σ, →) on any machine.
     */
    static BufferedImage rasterize(String svg, double scale) {
        String fixed = svg.replaceAll("font-family=\"[^\"]*\"", "font-family=\"SansSerif\"")
                .replace("=\"transparent\"", "=\"none\"");
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
        Render.Engine e = choice == Render.Engine.AUTO ? (dotProgram() != null ? Render.Engine.DOT : Render.Engine.BUNDLED) : choice;
        return e == Render.Engine.DOT ? "dot program " + dotProgram() : "bundled viz.js on J2V8";
    }

    private static void use(Render.Engine choice) {
        Java2d.prepare(); // before any text is measured or drawn: the opt-in private font cache
        Path dot = dotProgram();
        Render.Engine want = choice;
        if (choice == Render.Engine.AUTO) {
            want = dot != null ? Render.Engine.DOT : Render.Engine.BUNDLED;
        }
        if (want == Render.Engine.DOT) {
            if (dot == null) {
                throw new GraphvizUnavailableException("render: engine DOT was asked for, but no dot program was found on"
                        + " the PATH (nor in the system property chainrule.dot); hint: install Graphviz"
                        + " (apt-get install graphviz, brew install graphviz) or use Engine.AUTO", null);
            }
            if (installed != Render.Engine.DOT) {
                Graphviz.useEngine(new DotProgram(dot));
                installed = Render.Engine.DOT;
            }
            return;
        }
        if (installed == Render.Engine.BUNDLED) {
            return;
        }
        Throwable failure = startBundled();
        if (failure != null) {
            installed = null;
            String why = failure.getMessage() != null ? failure.getMessage() : failure.toString();
            String head = choice == Render.Engine.AUTO
                    ? "render: no Graphviz engine works: no dot program was found on the PATH, and the bundled engine"
                    + " (viz.js on J2V8, x86_64 Linux only) cannot start: "
                    : "render: the bundled Graphviz engine (viz.js on J2V8, x86_64 Linux only) cannot start: ";
            throw new GraphvizUnavailableException(head + why + "; hint: install Graphviz (apt-get install graphviz,"
                    + " brew install graphviz), or write the DOT text with dot() and render it elsewhere", failure);
        }
        installed = Render.Engine.BUNDLED;
    }

    /** Starts viz.js on J2V8 with its native library in a temporary folder deleted afterwards; returns the failure or null. */
    private static Throwable startBundled() {
        if (bundledDisabledForTesting) {
            return new IllegalStateException("disabled for this test");
        }
        if (bundledTried && bundledFailure != null) {
            return bundledFailure;
        }
        bundledTried = true;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("chainrule-viz-j2v8");
            // Loads the native library now, from our folder, and reports why it cannot (wrong platform...).
            com.eclipsesource.v8.V8 probe = com.eclipsesource.v8.V8.createV8Runtime(null, dir.toString());
            probe.release(true);
            Graphviz.useEngine(new GraphvizV8Engine(dir.toString()));
            Graphviz.fromString("digraph { }").render(Format.SVG).toString();
            bundledFailure = null;
        } catch (Throwable t) {
            bundledFailure = t instanceof NoClassDefFoundError
                    ? new IllegalStateException("J2V8 is not on the class path (it ships for x86_64 Linux only)", t) : t;
            try {
                Graphviz.releaseEngine();
            } catch (RuntimeException ignored) {
                // the failure above is the one to report
            }
        } finally {
            deleteTree(dir);
        }
        return bundledFailure;
    }

    /** The {@code dot} executable: the system property {@code chainrule.dot}, else the first on the PATH, else null. */
    static Path dotProgram() {
        String explicit = System.getProperty("chainrule.dot");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? p : null;
        }
        String path = pathForTesting != null ? pathForTesting : System.getenv("PATH");
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
    private static final class DotProgram implements GraphvizEngine {
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
