package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Activation;
import io.github.chainrule.nn.Initializer;
import io.github.chainrule.nn.Losses;
import io.github.chainrule.nn.Optimizer;
import io.github.chainrule.nn.Sequential;
import io.github.chainrule.nn.data.Batching;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import io.github.chainrule.nn.metrics.Predictions;
import io.github.chainrule.nn.optim.Adam;
import io.github.chainrule.nn.optim.GradientDescent;
import io.github.chainrule.nn.optim.Momentum;
import io.github.chainrule.nn.train.History;
import io.github.chainrule.nn.train.Progress;
import io.github.chainrule.nn.train.Trainer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The course's optimization assignment: a {@code [2, 5, 2, 1]} network (ReLU, ReLU, sigmoid) with
 * He initialization seeded 3, trained on the moons data ({@code np.random.seed(3);
 * make_moons(n_samples=300, noise=.2)}) with mini-batches of 64, learning rate 0.0007 and
 * 10 000 epochs, by three optimizers: mini-batch gradient descent, momentum ({@code β = 0.9})
 * and Adam ({@code β₁ = 0.9, β₂ = 0.999, ε = 1e-8}).
 *
 * <p><b>Shuffling.</b> The notebook starts from {@code seed = 10} and does {@code seed = seed + 1}
 * before each epoch's {@code random_mini_batches(X, Y, 64, seed)}, which calls
 * {@code np.random.seed(seed)} and {@code np.random.permutation(300)}: epoch {@code i} is
 * shuffled with seed {@code 11 + i}, and cut into four batches of 64 and one of 44.
 * {@link Batching#course Batching.course(64, 10)} does exactly that.
 *
 * <p><b>Loss.</b> The network outputs the logit {@code Z[3]} (output activation
 * {@link Activation#IDENTITY}) and trains on {@link Losses#BINARY_CROSS_ENTROPY_FROM_LOGITS}
 * ({@code sigmoidCrossEntropyWithLogits(Y).sum() · 1/b} over a batch of {@code b}): its fused
 * backward is {@code ∂J/∂Z[3] = (1/b)·(σ(Z[3]) − Y)}, the very expression of the notebook's
 * {@code dz3 = 1./m * (a3 - Y)}, rounded the same way. The probability form
 * ({@link Losses#BINARY_CROSS_ENTROPY} after a sigmoid output) reaches the same value only
 * through {@code −y/a + (1−y)/(1−a)} times {@code a(1−a)}, which rounds differently and floors
 * its logs. Accuracy is the notebook's {@code predict}: {@code σ(Z[3]) > 0.5}.
 *
 * <p><b>Reported cost.</b> The notebook prints, every 1000 epochs, {@code cost_total / m}: the
 * summed per-example losses of the epoch's batches divided by 300. The {@link Trainer}'s epoch
 * cost {@code Σ_t b_t·J{t} / m} is the same number.
 *
 * <p><b>Published numbers.</b> The 10 000-epoch notebook reports 79.7% (gradient descent),
 * 79.7% (momentum), 94% (Adam); numpy gives 239/300, 239/300 and 282/300 after 10 000 epochs, and
 * so does this class. The notebook's later edition ({@code opt_utils_v1a}) defaults to
 * {@code num_epochs = 5000} with the same seeds: numpy gives 215/300, 215/300, 283/300 there.
 */
public final class Optimization {
    /** The notebook's {@code layers_dims}. */
    public static final int[] LAYERS_DIMS = {2, 5, 2, 1};
    /** {@code learning_rate}. */
    public static final double LEARNING_RATE = 0.0007;
    /** {@code mini_batch_size}. */
    public static final int MINI_BATCH_SIZE = 64;
    /** The notebook's initial {@code seed}; epoch {@code i} shuffles with {@code seed + 1 + i}. */
    public static final long SHUFFLE_SEED = 10;
    /** {@code num_epochs} of the notebook these accuracies were published with. */
    public static final int EPOCHS = 10_000;
    /** The three optimizers, by the notebook's {@code optimizer} argument. */
    public static final List<String> OPTIMIZERS = List.of("gd", "momentum", "adam");

    /**
     * One run's outcome.
     *
     * @param optimizer      {@code "gd"}, {@code "momentum"} or {@code "adam"}
     * @param costEvery1000  the epoch cost {@code cost_total / m} at epochs 0, 1000, 2000, ...
     * @param trainAccuracy  the fraction of the 300 training examples with {@code (σ(Z[3]) > 0.5) == y}
     */
    public record Run(String optimizer, double[] costEvery1000, double trainAccuracy) {
        public Run {
            costEvery1000 = costEvery1000.clone();
        }

        @Override
        public double[] costEvery1000() {
            return costEvery1000.clone();
        }

        @Override
        public String toString() {
            return "Run[" + optimizer + ", costEvery1000=" + Arrays.toString(costEvery1000) + ", trainAccuracy="
                    + trainAccuracy + "]";
        }
    }

    private Optimization() {
    }

    /** The moons training set, features as rows: X (2, 300), Y (1, 300). */
    public static Dataset moons() {
        return Datasets.moons(3, 300, 0.2);
    }

    /**
     * The notebook's {@code initialize_parameters(layers_dims)} with He initialization: after
     * {@code np.random.seed(3)}, {@code W[l] = randn(n[l], n[l-1]) · sqrt(2 / n[l-1])} for
     * {@code l = 1, 2, 3} in that order, {@code b[l] = 0}, bit for bit. The output layer has no
     * activation: it returns the logit {@code Z[3]}.
     */
    public static Sequential model() {
        return Sequential.builder(LAYERS_DIMS).hidden(Activation.RELU).output(Activation.IDENTITY)
                .initializer(Initializer.HE).seed(3).build();
    }

    /**
     * The notebook's optimizer named {@code name} over {@code model}'s parameters.
     *
     * @throws IllegalArgumentException if {@code name} is not one of {@link #OPTIMIZERS}
     */
    public static Optimizer optimizer(String name, Sequential model) {
        return switch (name) {
            case "gd" -> new GradientDescent(model, LEARNING_RATE);
            case "momentum" -> new Momentum(model, LEARNING_RATE, 0.9);
            case "adam" -> new Adam(model, LEARNING_RATE, 0.9, 0.999, 1e-8);
            default -> throw new IllegalArgumentException("Optimization: unknown optimizer \"" + name
                    + "\"; expected one of " + OPTIMIZERS);
        };
    }

    /**
     * Trains a fresh {@link #model()} with optimizer {@code name} for {@code epochs} epochs.
     *
     * @param out where the notebook's "Cost after epoch i" lines go every 1000 epochs, or
     *            {@code null} for a silent run
     */
    public static Run run(String name, Dataset train, int epochs, PrintStream out) {
        Sequential model = model();
        Trainer.Builder builder = Trainer.builder(model, Losses.BINARY_CROSS_ENTROPY_FROM_LOGITS,
                        optimizer(name, model))
                .epochs(epochs)
                .batching(Batching.course(MINI_BATCH_SIZE, SHUFFLE_SEED))
                .progress(Progress.none(out != null ? out : System.out));
        if (out != null) {
            builder.printCostEvery(1000, Trainer.CostUnit.EPOCH);
        }
        History history = builder.build().fit(train);
        double[] epochCosts = history.epochCosts();
        double[] every1000 = new double[(epochs + 999) / 1000];
        for (int k = 0; k < every1000.length; k++) {
            every1000[k] = epochCosts[1000 * k];
        }
        return new Run(name, every1000, accuracy(model, train));
    }

    /** The notebook's {@code predict}: the fraction of examples with {@code (σ(Z[3]) > 0.5) == y}. */
    public static double accuracy(Sequential model, Dataset data) {
        Tensor a3 = Predictions.output(model, data.x()).sigmoid();
        int[] p = Predictions.classes(a3, 0.5);
        int right = 0;
        for (int j = 0; j < p.length; j++) {
            right += p[j] == (int) data.y().get(0, j) ? 1 : 0;
        }
        return (double) right / p.length;
    }

    /** The three runs of the notebook, 10 000 epochs each, silently. */
    public static List<Run> all() {
        Dataset train = moons();
        return OPTIMIZERS.stream().map(name -> run(name, train, EPOCHS, null)).toList();
    }

    /**
     * Cost curves for a plot: optimizer name to its costs at epochs 0, 1000, 2000, ... (x = 1000·k),
     * in the runs' order.
     */
    public static Map<String, double[]> costCurves(List<Run> runs) {
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Run r : runs) {
            curves.put(r.optimizer(), r.costEvery1000());
        }
        return curves;
    }

    /** Trains the three models, printing the notebook's cost lines, then a summary table. */
    public static void main(String[] args) {
        Dataset train = moons();
        List<Run> runs = OPTIMIZERS.stream().map(name -> {
            System.out.println("== " + name);
            return run(name, train, EPOCHS, System.out);
        }).toList();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-9s %-10s %-10s %-10s %-9s %s%n", "optimizer", "cost@0", "cost@5000",
                "cost@9000", "accuracy", "published");
        Map<String, String> published = Map.of("gd", "79.7%", "momentum", "79.7%", "adam", "94%");
        for (Run r : runs) {
            double[] c = r.costEvery1000();
            System.out.printf(Locale.ROOT, "%-9s %-10.6f %-10.6f %-10.6f %-9s %s%n", r.optimizer(), c[0], c[5], c[9],
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.trainAccuracy()), published.get(r.optimizer()));
        }
    }
}
