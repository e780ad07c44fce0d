package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.ComputationGraph;
import io.github.chainrule.autodiff.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A drawing of a computation graph, with its options; made by {@link Render#graph}. Immutable:
 * each option returns a new drawing. The graph is read when a picture or text is asked for, so
 * a drawing made before {@code backward()} shows the gradients stored by then.
 *
 * <p>What is drawn: each tensor as a box with its name (course notation: {@code W[1]},
 * gradient {@code dW[1]}), shape, value and gradient (a number for 1×1, the entries up to 4×4,
 * otherwise min/mean/max); each operation as a small ellipse; each broadcast as an orange
 * hexagon with its shapes and the sum that reduces its gradient back
 * ({@code db[1] = np.sum(dZ[1], axis=1, keepdims=True)}); on scalar graphs, each edge with its
 * local derivative and the chain-rule product ({@code ∂u/∂b = c = 2}, {@code dJ/db = 3 · 1 · 2 = 6}).
 * Tensors whose names end in {@code [l]}, also inside parentheses as nn names batch norm and
 * dropout outputs ({@code BN(Z[1])}, {@code dropout(A[1])}), and the unnamed operations between
 * them are grouped
 * in a cluster per layer, or drawn as one box per layer with {@link #collapseLayers}.
 */
public final class GraphDrawing {
    /** What the boxes show. */
    public enum Show {
        /** Values only. */
        VALUES,
        /** Values and, where a backward pass stored them, gradients (with chain-rule products on scalar edges). */
        VALUES_AND_GRADIENTS
    }

    /** Which way the graph flows from inputs to output. */
    public enum Direction {
        /** Inputs on the left (Graphviz {@code rankdir=LR}), as in the course's computation graph. */
        LEFT_TO_RIGHT,
        /** Inputs at the top (Graphviz {@code rankdir=TB}). */
        TOP_TO_BOTTOM
    }

    private final Tensor output;
    private final Show show;
    private final Direction direction;
    private final boolean collapse;
    private final boolean expandComposites;
    private final Render.Engine engine;
    private final double scale;

    GraphDrawing(Tensor output) {
        this(output, Show.VALUES_AND_GRADIENTS, Direction.LEFT_TO_RIGHT, false, false, Render.Engine.AUTO, 2.0);
    }

    private GraphDrawing(Tensor output, Show show, Direction direction, boolean collapse, boolean expandComposites,
            Render.Engine engine, double scale) {
        this.output = output;
        this.show = show;
        this.direction = direction;
        this.collapse = collapse;
        this.expandComposites = expandComposites;
        this.engine = engine;
        this.scale = scale;
    }

    /** Values only, or values and gradients (the default). */
    public GraphDrawing show(Show show) {
        return new GraphDrawing(output, Checks.notNull(show, "GraphDrawing.show", "show"), direction, collapse, expandComposites,
                engine, scale);
    }

    /** Left to right (the default) or top to bottom. */
    public GraphDrawing direction(Direction direction) {
        return new GraphDrawing(output, show, Checks.notNull(direction, "GraphDrawing.direction", "direction"),
                collapse, expandComposites, engine, scale);
    }

    /** Whether each layer (tensors named {@code …[l]} or {@code BN(Z[l])}) is drawn as one box listing its tensors; off by default. */
    public GraphDrawing collapseLayers(boolean collapse) {
        return new GraphDrawing(output, show, direction, collapse, expandComposites, engine, scale);
    }

    /**
     * Whether composite operations ({@code a − b}, {@code a / b}, {@code softmax}: see
     * {@code Composite}) are drawn as the primitives that compute them ({@code a + (−b)},
     * {@code a · b^−1}); off by default: each is one operation with its own symbol ({@code −},
     * {@code ÷}), as the learner wrote it, and its edges carry its local derivatives.
     */
    public GraphDrawing expandComposites(boolean expand) {
        return new GraphDrawing(output, show, direction, collapse, expand, engine, scale);
    }

    /** Which Graphviz engine renders ({@link Render.Engine#AUTO} by default). */
    public GraphDrawing engine(Render.Engine engine) {
        return new GraphDrawing(output, show, direction, collapse, expandComposites,
                Checks.notNull(engine, "GraphDrawing.engine", "engine"), scale);
    }

    /**
     * PNG size relative to Graphviz's 72 dpi (default 2, i.e. 144 dpi).
     *
     * @throws IllegalArgumentException unless {@code 0 < scale <= 8}
     */
    public GraphDrawing pngScale(double scale) {
        Checks.argument(scale > 0 && scale <= 8, "GraphDrawing.pngScale: scale must be in (0, 8], got %s", scale);
        return new GraphDrawing(output, show, direction, collapse, expandComposites, engine, scale);
    }

    /** The DOT text of the drawing; the same graph and options always give the same text. */
    public String dot() {
        return DotWriter.write(expandComposites ? ComputationGraph.of(output) : ComputationGraph.collapsed(output), show == Show.VALUES_AND_GRADIENTS,
                direction == Direction.LEFT_TO_RIGHT, collapse);
    }

    /**
     * The drawing as SVG text.
     *
     * @throws GraphvizUnavailableException if no Graphviz engine works on this machine
     */
    public String svg() {
        return Engines.svg(dot(), engine);
    }

    /**
     * The drawing as an image.
     *
     * @throws GraphvizUnavailableException if no Graphviz engine works on this machine
     */
    public BufferedImage image() {
        return Engines.png(dot(), engine, scale);
    }

    /** Writes the DOT text to {@code path} (atomically; missing folders are created). */
    public void toDot(Path path) throws IOException {
        byte[] bytes = dot().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write("toDot", path, out -> out.write(bytes));
    }

    /**
     * Writes the drawing as SVG to {@code path} (atomically; missing folders are created). When
     * no picture can be made, the DOT text is written beside it instead ({@code j.svg} →
     * {@code j.dot}) and the exception says where, with the command that renders it elsewhere.
     *
     * @throws GraphvizUnavailableException if no Graphviz engine works on this machine
     */
    public void toSvg(Path path) throws IOException {
        Checks.notNull(path, "toSvg", "path");
        String dot = dot();
        byte[] bytes = rendered("toSvg", path, "svg", dot, () -> Engines.svg(dot, engine)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write("toSvg", path, out -> out.write(bytes));
    }

    /**
     * Writes the drawing as PNG to {@code path} (atomically; missing folders are created). When
     * no picture can be made, the DOT text is written beside it instead, as by {@link #toSvg}.
     *
     * @throws GraphvizUnavailableException if no Graphviz engine works on this machine
     */
    public void toPng(Path path) throws IOException {
        Checks.notNull(path, "toPng", "path");
        String dot = dot();
        AtomicFiles.writePng("toPng", path, rendered("toPng", path, "png", dot, () -> Engines.png(dot, engine, scale)));
    }

    /** What {@code render} makes; if it fails, writes {@code dot} beside {@code path} and says so in the exception. */
    private static <T> T rendered(String op, Path path, String format, String dot, Supplier<T> render) throws IOException {
        try {
            return render.get();
        } catch (IllegalStateException e) {
            Path target = path.toAbsolutePath();
            String name = target.getFileName().toString();
            int ext = name.lastIndexOf('.');
            Path dotFile = target.resolveSibling((ext > 0 ? name.substring(0, ext) : name) + ".dot");
            if (dotFile.equals(target)) {
                dotFile = target.resolveSibling(name + ".gv");
            }
            byte[] bytes = dot.getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(op, dotFile, out -> out.write(bytes));
            String message = op + ": " + target + " was not drawn: " + e.getMessage()
                    + (e.getMessage().contains(Engines.INSTALL_HINT) ? "" : "; hint: " + Engines.INSTALL_HINT)
                    + "; the DOT text is in " + dotFile + ": render it where Graphviz is installed with dot -T" + format
                    + " " + dotFile + " -o " + target;
            throw e instanceof GraphvizUnavailableException ? new GraphvizUnavailableException(message, e)
                    : new IllegalStateException(message, e);
        }
    }

    @Override
    public String toString() {
        return "GraphDrawing[" + show + ", " + direction + (collapse ? ", collapsed" : "") + (expandComposites ? ", composites expanded" : "") + ", " + engine + "]";
    }
}
