package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Activation;
import io.github.chainrule.nn.Initializer;
import io.github.chainrule.nn.Sequential;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's initialization assignment: a [2, 10, 5, 1] network (ReLU, ReLU, sigmoid) on the
 * circles data, 15 000 steps of gradient descent at learning rate 0.01, started from zeros,
 * from {@code randn·10} and from He initialization (both seeded 3). The network outputs logits
 * and trains on {@code sigmoidCrossEntropyWithLogits}, whose gradient is the notebook's
 * {@code dz3 = a3 − Y}; the cost is also reported the notebook's way
 * ({@code nansum} of {@code −y log a3 − (1−y) log(1−a3)}), which is infinite at the start of
 * the {@code randn·10} run because saturated sigmoids reach exactly 0 and 1.
 */
public final class Initialization {
    /** One run's outcome. */
    public record Run(String name, List<Double> costEvery1000, double trainAccuracy, double testAccuracy) {
    }

    private Initialization() {
    }

    /** Trains from {@code init} and reports the notebook's numbers. */
    public static Run run(String name, Initializer init, Dataset train, Dataset test) {
        Sequential model = Sequential.builder(2, 10, 5, 1).hidden(Activation.RELU).output(Activation.IDENTITY)
                .initializer(init).seed(3).build();
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < 15_000; i++) {
            Tensor z3 = model.forward(train.x());
            Tensor cost = z3.sigmoidCrossEntropyWithLogits(train.y()).mean();
            if (i % 1000 == 0) {
                costs.add(notebookCost(z3, train.y()));
            }
            model.zeroGrad();
            cost.backward();
            try (Grad.Scope off = Grad.disabled()) {
                for (Tensor p : model.parameters().values()) {
                    p.addInPlace(p.grad(), -0.01);
                }
            }
        }
        return new Run(name, costs, accuracy(model, train), accuracy(model, test));
    }

    /** {@code 1/m · nansum(−y log a3 − (1 − y) log(1 − a3))} with {@code a3 = 1/(1 + e^−z3)}, as the notebook computes it. */
    static double notebookCost(Tensor z3, Tensor y) {
        double sum = 0;
        for (int j = 0; j < y.cols(); j++) {
            double a = 1 / (1 + Math.exp(-z3.get(0, j))), label = y.get(0, j);
            double term = -Math.log(a) * label + -Math.log(1 - a) * (1 - label);
            sum += Double.isNaN(term) ? 0 : term;
        }
        return sum / y.cols();
    }

    static double accuracy(Sequential model, Dataset data) {
        try (Grad.Scope off = Grad.disabled()) {
            Tensor z = model.forward(data.x());
            int right = 0;
            for (int j = 0; j < z.cols(); j++) {
                right += (z.get(0, j) > 0 ? 1 : 0) == (int) data.y().get(0, j) ? 1 : 0;
            }
            return (double) right / z.cols();
        }
    }

    /** The three runs of the notebook. */
    public static List<Run> all() {
        Dataset train = Datasets.circles(1, 300, 0.05), test = Datasets.circles(2, 100, 0.05);
        return List.of(run("zeros", Initializer.ZEROS, train, test),
                run("randn·10", Initializer.scaled(10), train, test),
                run("He", Initializer.HE, train, test));
    }

    public static void main(String[] args) {
        for (Run r : all()) {
            System.out.printf("%-9s cost at 0: %-10.6g at 14000: %-10.6g train accuracy %.4f, test accuracy %.2f%n",
                    r.name(), r.costEvery1000().get(0), r.costEvery1000().get(14), r.trainAccuracy(), r.testAccuracy());
        }
    }
}
