package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Tensor;
import java.nio.file.Path;

/**
 * Run by {@link RenderingTest} in a separate JVM whose {@code user.home} and
 * {@code java.io.tmpdir} are fresh folders: renders with every engine this machine has (the
 * bundled one, and {@code dot} when installed) and draws both plots, writing only into the
 * folder given as the argument. Prints the files it wrote, one per line.
 */
final class LitterCheck {
    private LitterCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Tensor J = Graphs.courseJ();
        try {
            Render.graph(J).engine(Render.Engine.BUNDLED).toSvg(out.resolve("bundled.svg"));
            Render.graph(J).engine(Render.Engine.BUNDLED).toPng(out.resolve("bundled.png"));
            System.out.println("bundled.png\nbundled.svg");
        } catch (GraphvizUnavailableException e) {
            System.err.println("no bundled engine here: " + e.getMessage());
        }
        if (Engines.dotProgram() != null) {
            Render.graph(J).engine(Render.Engine.DOT).toSvg(out.resolve("dot.svg"));
            Render.graph(J).engine(Render.Engine.DOT).toPng(out.resolve("dot.png"));
            System.out.println("dot.png\ndot.svg");
        }
        Plots.costCurve("run", new double[] {1, 0.5, 0.25}).toPng(out.resolve("cost.png"));
        Tensor X = Tensor.of(new double[][] {{-1, -0.5, 0.5, 1}, {0, 1, -1, 0}});
        Plots.decisionBoundary(g -> g.rows(0, 1).sigmoid(), X, Tensor.row(0, 0, 1, 1)).grid(20)
                .toPng(out.resolve("boundary.png"));
        System.out.println("boundary.png\ncost.png");
    }
}
