package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Training plots, written as PNG with XChart (headless): cost curves of one or several runs, and
 * the decision boundary of a 2-D classifier over its data points, as in the course's planar
 * assignment. Inputs are plain data (arrays, tensors and functions), so any training loop can
 * feed them.
 *
 * <pre>{@code
 * Plots.costCurves(Map.of("lr 0.01", costs1, "lr 0.1", costs2)).every(100).toPng(Path.of("out/costs.png"));
 * model.eval();                                   // dropout off, batch norm on its running averages
 * Plots.decisionBoundary(x -> model.forward(x), X, Y).title("4 hidden units").toPng(Path.of("out/boundary.png"));
 * }</pre>
 */
public final class Plots {
    private Plots() {
    }

    /**
     * Cost curves, one per run, on one chart; the map's iteration order is the legend's (use a
     * {@link java.util.LinkedHashMap} to choose it).
     *
     * @param runs label → costs recorded during training, {@code costs[k]} at iteration {@code k · every}
     * @throws IllegalArgumentException if there are no runs or a run has no costs
     */
    public static CostPlot costCurves(Map<String, double[]> runs) {
        Checks.notNull(runs, "costCurves", "runs");
        Checks.argument(!runs.isEmpty(), "costCurves: no runs given; pass at least one label → costs entry");
        for (Map.Entry<String, double[]> e : runs.entrySet()) {
            Checks.notNull(e.getKey(), "costCurves", "run label");
            Checks.notNull(e.getValue(), "costCurves", "costs of run \"" + e.getKey() + "\"");
            Checks.argument(e.getValue().length > 0, "costCurves: run \"%s\" has no costs", e.getKey());
        }
        return new CostPlot(runs);
    }

    /** The cost curve of a single run. */
    public static CostPlot costCurve(String label, double[] costs) {
        return costCurves(Map.of(Checks.notNull(label, "costCurve", "label"), Checks.notNull(costs, "costCurve", "costs")));
    }

    /**
     * The decision boundary of a binary classifier on 2-D inputs: the plane coloured by the
     * predicted class over a grid, with the data points on top.
     *
     * @param predictor maps grid points {@code (2, k)}, one per column, to predictions {@code (1, k)}:
     *                  probabilities (class 1 where {@code > 0.5}) or labels 0/1; called once, with
     *                  gradient recording off; put a model with dropout or batch norm in evaluation
     *                  mode ({@code model.eval()}) first
     * @param X         inputs {@code (2, m)}, one example per column (course convention)
     * @param Y         labels {@code (1, m)}, 0 or 1
     * @throws IllegalArgumentException if the shapes do not fit or a label is not 0 or 1
     */
    public static DecisionBoundaryPlot decisionBoundary(UnaryOperator<Tensor> predictor, Tensor X, Tensor Y) {
        Checks.notNull(predictor, "decisionBoundary", "predictor");
        Checks.notNull(X, "decisionBoundary", "X");
        Checks.notNull(Y, "decisionBoundary", "Y");
        Checks.argument(X.rows() == 2, "decisionBoundary: X must be (2, m) with one example per column, got %s;"
                + " hint: transpose it if examples are rows", X.shape());
        Checks.argument(Y.rows() == 1 && Y.cols() == X.cols(),
                "decisionBoundary: Y must be (1, m) = (1, %d) to match X %s, got %s", X.cols(), X.shape(), Y.shape());
        for (int j = 0; j < Y.cols(); j++) {
            double y = Y.get(0, j);
            Checks.argument(y == 0 || y == 1, "decisionBoundary: labels must be 0 or 1, got %s in column %d", y, j);
        }
        return new DecisionBoundaryPlot(predictor, X, Y);
    }
}
