package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.GradCheckReport;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.examples.course.GradientCheckN;
import io.github.chainrule.examples.course.Initialization;
import io.github.chainrule.examples.course.Optimization;
import io.github.chainrule.examples.course.PlanarShallowNet;
import io.github.chainrule.nn.Activation;
import io.github.chainrule.nn.Diagnostics;
import io.github.chainrule.nn.Initializer;
import io.github.chainrule.nn.Losses;
import io.github.chainrule.nn.Sequential;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import io.github.chainrule.viz.Plots;
import io.github.chainrule.viz.Render;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tour of chainrule, run by the README's demo command: each section prints what it
 * computes and writes its pictures into {@code chainrule-out/} (or the folder given as the
 * first argument).
 */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "chainrule-out").toAbsolutePath();
        Files.createDirectories(out);
        long start = System.nanoTime();
        System.out.println("chainrule tour; pictures go to " + out);
        System.out.println();
        computationGraph(out);
        planar(out);
        deepNetwork(out);
        System.out.println("== 4. Broadcasting and a 2-layer network in course notation ==");
        System.out.print(broadcasting());
        VizTour.twoLayer(out);
        System.out.println("== 5. A custom model trained with Adam, a progress bar, then saved and loaded ==");
        TrainCustomModel.run(out);
        System.out.println();
        System.out.println("== 6. A Sequential model from layers_dims = [2, 10, 5, 1], trained, saved and loaded ==");
        TrainSequential.run(out);
        System.out.println();
        initialization(out);
        optimization(out);
        gradientCheck();
        System.out.printf("tour done in %.1f s; pictures in %s%n", (System.nanoTime() - start) / 1e9, out);
    }

    /**
     * The course's broadcasting example (course 1, week 2): calories from carbohydrates, proteins and fats in
     * 100 g of four foods, each column turned into percentages of its total. {@code A.sum(0, true)} keeps the
     * (1, 4) row that numpy's {@code A.sum(axis=0)} followed by {@code cal.reshape(1, 4)} builds, and
     * {@code A.div(cal)} broadcasts it over A's three rows. Printed as numpy prints the arrays, so the lines equal
     * the course's (provenance: docs/course-references.md, "Broadcasting").
     */
    static String broadcasting() {
        Tensor A = Tensor.of(new double[][] {
                {56.0, 0.0, 4.4, 68.0},    // Carb      (Apples, Beef, Eggs, Potatoes)
                {1.2, 104.0, 52.0, 8.0},   // Protein
                {1.8, 135.0, 99.0, 0.9}}).named("A"); // Fat
        Tensor cal = A.sum(0, true).named("cal");                                  // (1, 4)
        Tensor percentage = A.div(cal.reshape(1, 4)).mul(100).named("percentage"); // (3, 4) / (1, 4) -> (3, 4)
        return "Calories from Carb / Protein / Fat (rows) in 100 g of Apples, Beef, Eggs, Potatoes (columns):\n"
                + "A " + A.shape() + " =\n" + numpy(A) + "\n"
                + "cal = A.sum(axis=0, keepdims=True) " + cal.shape() + ", the course's cal = A.sum(axis=0):\n"
                + numpyRow(cal.toRowMajorArray()) + "\n"
                + "percentage = 100 * A / cal.reshape(1, 4) " + percentage.shape()
                + " (the (1, 4) row broadcasts over A's 3 rows):\n" + numpy(percentage) + "\n";
    }

    /** A matrix as numpy's {@code print} shows it (default options: up to 8 decimals, aligned on the point). */
    static String numpy(Tensor t) {
        String[] cells = numpyCells(t.toRowMajorArray());
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < t.rows(); i++) {
            b.append(i == 0 ? "[" : " [");
            b.append(String.join(" ", java.util.Arrays.copyOfRange(cells, i * t.cols(), (i + 1) * t.cols())));
            b.append(i < t.rows() - 1 ? "]\n" : "]]");
        }
        return b.toString();
    }

    /** A row of values as numpy prints a 1-D array. */
    static String numpyRow(double[] values) {
        return "[" + String.join(" ", numpyCells(values)) + "]";
    }

    /**
     * numpy's default float format ({@code floatmode='maxprec'}, precision 8): each value with the fewest digits
     * that identify it, at most 8 decimals, trailing zeros dropped but the point kept; then all values padded to
     * a common width on each side of the point.
     */
    private static String[] numpyCells(double[] values) {
        String[] whole = new String[values.length], fraction = new String[values.length];
        int left = 0, right = 0;
        for (int i = 0; i < values.length; i++) {
            java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(values[i]));
            if (d.scale() > 8) {
                d = new java.math.BigDecimal(values[i]).setScale(8, java.math.RoundingMode.HALF_EVEN);
            }
            String plain = d.stripTrailingZeros().toPlainString();
            int point = plain.indexOf('.');
            whole[i] = point < 0 ? plain : plain.substring(0, point);
            fraction[i] = point < 0 ? "" : plain.substring(point + 1);
            left = Math.max(left, whole[i].length());
            right = Math.max(right, fraction[i].length());
        }
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = " ".repeat(left - whole[i].length()) + whole[i] + "." + fraction[i]
                    + " ".repeat(right - fraction[i].length());
        }
        return cells;
    }

    /** The course's computation graph J = 3(a + b·c): values, gradients, the drawing and the chain-rule trace. */
    static void computationGraph(Path out) throws Exception {
        System.out.println("== 1. The chain rule on J = 3(a + b·c) ==");
        VizTour.chainRule(out);
    }

    /** The course's one-hidden-layer network on the planar flower data, with its decision boundary. */
    static void planar(Path out) throws Exception {
        System.out.println("== 2. One hidden layer on the planar flower data (course: cost 0.693048 → 0.218607, 90%) ==");
        Dataset data = Datasets.flower();
        PlanarShallowNet net = new PlanarShallowNet(4);
        List<Double> costs = net.train(data.x(), data.y(), 10_000, 1.2);
        for (int i = 0; i < costs.size(); i += 3000) {
            System.out.printf("Cost after iteration %d: %f%n", i, costs.get(i));
        }
        System.out.printf("Accuracy: %.2f %%%n", 100 * net.accuracy(data.x(), data.y()));
        Plots.costCurve("4 tanh units, learning rate 1.2", costs.stream().mapToDouble(Double::doubleValue).toArray())
                .title("Planar data: cost per iteration").toPng(out.resolve("planar-cost.png"));
        Plots.decisionBoundary(grid -> {
            try (Grad.Scope off = Grad.disabled()) {
                return net.forward(grid);
            }
        }, data.x(), data.y()).title("Planar data: one hidden layer of 4 tanh units").toPng(out.resolve("planar-boundary.png"));
        System.out.println("wrote planar-cost.png and planar-boundary.png");
        System.out.println();
    }

    /** A deep network in the course's notation: one forward and backward pass, diagnostics, a collapsed drawing. */
    static void deepNetwork(Path out) throws Exception {
        System.out.println("== 3. A deep network from layers_dims = [12288, 20, 7, 5, 1] ==");
        Sequential model = Sequential.builder(12288, 20, 7, 5, 1).hidden(Activation.RELU)
                .output(Activation.SIGMOID).initializer(Initializer.DEEP).seed(1).build();
        System.out.println(model);
        Tensor x = Tensor.rand(12288, 8, new NumpyRandom(2)).named("A[0]");
        Tensor y = Tensor.row(1, 0, 1, 1, 0, 0, 1, 0).named("Y");
        Tensor cost = Losses.binaryCrossEntropy(model.forward(x), y).named("cost");
        cost.backward();
        System.out.printf("cost = %.6f%n", cost.item());
        System.out.println(Diagnostics.of(model));
        Render.graph(cost).collapseLayers(true).toSvg(out.resolve("deep-network-collapsed.svg"));
        Render.graph(cost).collapseLayers(true).toPng(out.resolve("deep-network-collapsed.png"));
        System.out.println("wrote deep-network-collapsed.svg/.png (one box per layer)");
        try {
            model.forward(Tensor.zeros(64, 8));
        } catch (IllegalArgumentException e) {
            System.out.println("a wrong input is caught: " + e.getMessage());
        }
        System.out.println();
    }

    /** The course's initialization assignment: zeros, randn·10 and He on the circles data. */
    static void initialization(Path out) throws Exception {
        System.out.println("== 7. Initialization matters (course: train 0.5 / 0.83 / 0.9933, test 0.5 / 0.86 / 0.96) ==");
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Initialization.Run r : Initialization.all()) {
            System.out.printf("%-9s cost at 0: %-9.6g at 14000: %-9.6g train accuracy %.4f, test accuracy %.2f%n",
                    r.name(), r.costEvery1000().get(0), r.costEvery1000().get(14), r.trainAccuracy(), r.testAccuracy());
            curves.put(r.name(), r.costEvery1000().stream().mapToDouble(Double::doubleValue).toArray());
        }
        Plots.costCurves(curves).every(1000).title("Circles data: cost per 1000 iterations by initialization")
                .toPng(out.resolve("initialization-costs.png"));
        System.out.println("wrote initialization-costs.png");
        System.out.println();
    }

    /** The course's optimization assignment: mini-batch gradient descent, momentum and Adam on the moons data. */
    static void optimization(Path out) throws Exception {
        System.out.println("== 8. Optimizers on the moons data, 10 000 epochs of mini-batches (course: 79.7% / 79.7% / 94%) ==");
        List<Optimization.Run> runs = Optimization.all();
        for (Optimization.Run r : runs) {
            System.out.printf("%-9s cost at epoch 0: %.6f, at 9000: %.6f, train accuracy %.2f %%%n", r.optimizer(),
                    r.costEvery1000()[0], r.costEvery1000()[9], 100 * r.trainAccuracy());
        }
        Plots.costCurves(Optimization.costCurves(runs)).every(1000).unit("epoch").title("Moons data: cost per 1000 epochs by optimizer")
                .toPng(out.resolve("optimizer-costs.png"));
        System.out.println("wrote optimizer-costs.png");
        System.out.println();
    }

    /** The course's N-dimensional gradient check, with and without the notebook's planted bugs. */
    static void gradientCheck() {
        System.out.println("== 9. Gradient checking a hand-written backward pass (course: 0.2850931567761623, 1.1890913023330276e-07) ==");
        GradCheckReport buggy = GradientCheckN.report(true), fixed = GradientCheckN.report(false);
        System.out.printf("with the notebook's planted bugs: difference %.16g (%s)%n", buggy.difference(),
                buggy.passed() ? "passed" : "failed");
        System.out.printf("with the bugs fixed:              difference %.16g (%s)%n", fixed.difference(),
                fixed.passed() ? "passed" : "failed");
        System.out.println();
    }
}
