package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run by {@link FreshJvmRenderingTest} in a new JVM: draws every kind of drawing viz makes, as SVG
 * and PNG, with the engine {@code Engine.AUTO} picks, each on the first render of its kind in
 * this JVM, and writes only into the folder given as the first argument (the plots too). Prints
 * {@code dot: <program or none>}, then for each picture {@code <file> <engine that rendered it>}.
 * Any exception ends the JVM with a non-zero status.
 */
final class FreshJvmDrawings {
    private FreshJvmDrawings() {
    }

    /** Every kind of drawing: scalar graph with chain-rule edge labels, layer clusters, broadcasting, collapsed layers, long op names. */
    static Map<String, GraphDrawing> drawings() {
        Map<String, GraphDrawing> d = new LinkedHashMap<>();
        Tensor J = Graphs.courseJ();
        d.put("j", Render.graph(J));
        d.put("j-tb-values", Render.graph(J).direction(GraphDrawing.Direction.TOP_TO_BOTTOM).show(GraphDrawing.Show.VALUES));
        Tensor twoLayer = Graphs.twoLayer();
        d.put("two-layer", Render.graph(twoLayer));
        d.put("two-layer-tb", Render.graph(twoLayer).direction(GraphDrawing.Direction.TOP_TO_BOTTOM));
        d.put("two-layer-collapsed", Render.graph(twoLayer).collapseLayers(true));
        Tensor deep = Graphs.deepNetwork(5, 6, 4, 3, 3, 1);
        d.put("deep", Render.graph(deep).direction(GraphDrawing.Direction.TOP_TO_BOTTOM));
        d.put("deep-collapsed", Render.graph(deep).collapseLayers(true));
        return d;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("no-engine")) { // run without dot and without the bundled engine's classes
            try {
                Render.graph(Graphs.courseJ()).toPng(out.resolve("pictures/j.png"));
                System.out.println("drawn, unexpectedly");
            } catch (GraphvizUnavailableException e) {
                System.out.println(e.getMessage());
            }
            return;
        }
        System.out.println("dot: " + (Engines.dotProgram() == null ? "none" : Engines.dotProgram()));
        for (Map.Entry<String, GraphDrawing> e : drawings().entrySet()) {
            e.getValue().toSvg(out.resolve(e.getKey() + ".svg"));
            System.out.println(e.getKey() + ".svg " + Engines.lastRenderedBy());
            e.getValue().toPng(out.resolve(e.getKey() + ".png"));
            System.out.println(e.getKey() + ".png " + Engines.lastRenderedBy());
        }
        Plots.costCurve("run", new double[] {1, 0.5, 0.25}).toPng(out.resolve("cost.png"));
        Tensor X = Tensor.of(new double[][] {{-1, -0.5, 0.5, 1}, {0, 1, -1, 0}});
        Plots.decisionBoundary(g -> g.rows(0, 1).sigmoid(), X, Tensor.row(0, 0, 1, 1)).grid(20)
                .toPng(out.resolve("boundary.png"));
        System.out.println("boundary.png plot\ncost.png plot");
    }
}
