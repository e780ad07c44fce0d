package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.viz.ChainRuleTrace;
import io.github.chainrule.viz.GraphDrawing;
import io.github.chainrule.viz.Plots;
import io.github.chainrule.viz.Render;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The viz part of the tour: the course's computation graph drawn with its values, gradients and
 * chain-rule edge labels; its backward pass explained step by step; a small 2-layer network in
 * course notation, expanded and collapsed; and the cost curves of a tiny gradient-descent run.
 * Everything is built from plain tensors (no nn).
 */
public final class VizTour {
    private VizTour() {
    }

    /** Runs the tour, writing pictures into {@code args[0]} (default {@code chainrule-out}). */
    public static void main(String[] args) throws IOException {
        run(Path.of(args.length > 0 ? args[0] : "chainrule-out").toAbsolutePath());
    }

    /** Writes the pictures into {@code outDir} (created if missing) and prints what they show. */
    public static void run(Path outDir) throws IOException {
        System.out.println("== Seeing the chain rule (viz) ==");
        chainRule(outDir);
        twoLayer(outDir);
        logisticRegressionCurves(outDir);
        System.out.println("pictures in " + outDir);
        System.out.println();
    }

    /** J = 3(a + bc), forward and backward, drawn with values and gradients and explained step by step. */
    public static void chainRule(Path outDir) throws IOException {
        System.out.println("rendering engine: " + Render.engineFor(Render.Engine.AUTO));
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(2).named("c").requiringGrad();
        Tensor u = b.mul(c).named("u");
        Tensor v = a.add(u).named("v");
        Tensor J = v.mul(3).named("J");
        J.backward();
        System.out.printf("forward:  u = b·c = %s, v = a + u = %s, J = 3v = %s%n", u.item(), v.item(), J.item());
        System.out.printf("backward: dJ/dv = %s, dJ/du = %s, dJ/da = %s, dJ/db = %s, dJ/dc = %s%n",
                v.grad().item(), u.grad().item(), a.grad().item(), b.grad().item(), c.grad().item());
        long t0 = System.nanoTime();
        Render.graph(J).toSvg(outDir.resolve("j-graph.svg"));
        long t1 = System.nanoTime();
        Render.graph(J).toPng(outDir.resolve("j-graph.png"));
        long t2 = System.nanoTime();
        System.out.printf("wrote j-graph.svg (%d ms, includes starting the engine) and j-graph.png (%d ms)%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        System.out.println();
        System.out.print(ChainRuleTrace.of(J).toText());
        System.out.println();
    }

    /** The tour's 2-layer network on 4 examples after backward: its cost and its broadcast bias b[1]. */
    record TwoLayer(Tensor cost, Tensor b1) {
    }

    /** Z[1] = W[1]·X + b[1], A[1] = tanh(Z[1]), Z[2] = W[2]·A[1] + b[2], cost = mean sigmoid cross-entropy; after backward. */
    static TwoLayer twoLayerNetwork() {
        NumpyRandom rng = new NumpyRandom(1);
        Tensor X = Tensor.randn(2, 4, rng).named("X");
        Tensor Y = Tensor.row(1, 0, 1, 0).named("Y");
        Tensor W1 = Tensor.randn(3, 2, rng).mul(0.5).detach().named("W[1]").requiringGrad();
        Tensor b1 = Tensor.zeros(3, 1).named("b[1]").requiringGrad();
        Tensor W2 = Tensor.randn(1, 3, rng).mul(0.5).detach().named("W[2]").requiringGrad();
        Tensor b2 = Tensor.zeros(1, 1).named("b[2]").requiringGrad();
        Tensor Z1 = W1.matmul(X).add(b1).named("Z[1]");
        Tensor A1 = Z1.tanh().named("A[1]");
        Tensor Z2 = W2.matmul(A1).add(b2).named("Z[2]");
        Tensor cost = Z2.sigmoidCrossEntropyWithLogits(Y).mean().named("cost");
        cost.backward();
        return new TwoLayer(cost, b1);
    }

    /** A 2-layer network in course notation, Z[l] = W[l]·A[l-1] + b[l], drawn expanded and collapsed. */
    public static void twoLayer(Path outDir) throws IOException {
        TwoLayer net = twoLayerNetwork();
        Tensor cost = net.cost(), b1 = net.b1();
        long t3 = System.nanoTime();
        GraphDrawing drawing = Render.graph(cost).direction(GraphDrawing.Direction.TOP_TO_BOTTOM);
        drawing.toSvg(outDir.resolve("two-layer.svg"));
        drawing.toPng(outDir.resolve("two-layer.png"));
        Render.graph(cost).collapseLayers(true).toSvg(outDir.resolve("two-layer-collapsed.svg"));
        Render.graph(cost).collapseLayers(true).toPng(outDir.resolve("two-layer-collapsed.png"));
        long t4 = System.nanoTime();
        System.out.printf("wrote two-layer.svg/.png and two-layer-collapsed.svg/.png (%d ms for the four)%n",
                (t4 - t3) / 1_000_000);
        System.out.println("db[1] is the broadcast's gradient summed over the m = 4 columns: "
                + b1.grad().toString().replace("\n", " "));
        System.out.println();
    }

    /** Cost curves of logistic regression trained by hand at two learning rates, and its decision boundary. */
    public static void logisticRegressionCurves(Path outDir) throws IOException {
        NumpyRandom rng = new NumpyRandom(3);
        Tensor data = Tensor.randn(2, 60, rng).named("X");
        double[] labels = new double[60];
        for (int j = 0; j < 60; j++) {
            labels[j] = data.get(0, j) + 0.5 * data.get(1, j) > 0 ? 1 : 0;
        }
        Tensor y = Tensor.row(labels).named("Y");
        Map<String, double[]> runs = new LinkedHashMap<>();
        Tensor[] learned = null;
        for (double lr : new double[] {0.1, 1.0}) {
            Tensor w = Tensor.zeros(1, 2).named("w").requiringGrad();
            Tensor bias = Tensor.zeros(1, 1).named("b").requiringGrad();
            double[] costs = new double[31];
            for (int it = 0; it <= 300; it++) {
                Tensor J2 = w.matmul(data).add(bias).sigmoidCrossEntropyWithLogits(y).mean();
                J2.backward();
                if (it % 10 == 0) {
                    costs[it / 10] = J2.item();
                }
                try (Grad.Scope s = Grad.disabled()) {
                    w.addInPlace(w.grad(), -lr);
                    bias.addInPlace(bias.grad(), -lr);
                }
                w.zeroGrad();
                bias.zeroGrad();
            }
            runs.put("learning rate " + lr, costs);
            learned = new Tensor[] {w, bias};
            System.out.printf("learning rate %s: cost %.4f at iteration 0, %.4f at 300%n", lr, costs[0], costs[30]);
        }
        Plots.costCurves(runs).every(10).title("Logistic regression, gradient descent")
                .toPng(outDir.resolve("cost-curves.png"));
        Tensor w = learned[0], bias = learned[1];
        Plots.decisionBoundary(grid -> {
            try (Grad.Scope s = Grad.disabled()) {
                return w.matmul(grid).add(bias).sigmoid();
            }
        }, data, y).title("Logistic regression, learning rate 1.0").toPng(outDir.resolve("decision-boundary.png"));
        System.out.println("wrote cost-curves.png and decision-boundary.png");
        System.out.println();
    }
}
