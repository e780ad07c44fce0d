package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inputs {@code X} of shape {@code (n_x, m)} and labels {@code Y} of shape {@code (n_y, m)}:
 * column {@code j} of both is example {@code j}. {@code Y} is {@code (1, m)} for binary labels
 * or regression, {@code (classes, m)} one-hot for softmax.
 *
 * <p>Immutable as far as this class goes: it never modifies {@code X} or {@code Y}, and every
 * method returns new tensors. The tensors themselves are shared, not copied, on construction.
 */
public final class Dataset {
    private final Tensor x;
    private final Tensor y;

    /**
     * @throws IllegalArgumentException if {@code X} and {@code Y} have different numbers of columns
     */
    public Dataset(Tensor x, Tensor y) {
        Checks.notNull(x, "Dataset", "X");
        Checks.notNull(y, "Dataset", "Y");
        Checks.argument(x.cols() == y.cols(), "Dataset: X %s and Y %s must have the same number of columns"
                + " (examples): %d != %d; hint: examples are columns, transpose a (m, n_x) matrix with X.transpose()",
                x.shape(), y.shape(), x.cols(), y.cols());
        this.x = x;
        this.y = y;
    }

    /** {@code X}, shape {@code (n_x, m)}. */
    public Tensor x() {
        return x;
    }

    /** {@code Y}, shape {@code (n_y, m)}. */
    public Tensor y() {
        return y;
    }

    /** The number of examples {@code m}. */
    public int size() {
        return x.cols();
    }

    /** The number of input features {@code n_x}. */
    public int features() {
        return x.rows();
    }

    /** The examples at {@code columns}, in that order: {@code (X[:, columns], Y[:, columns])}. */
    public Dataset select(int... columns) {
        Checks.notNull(columns, "Dataset.select", "columns");
        Checks.argument(columns.length > 0, "Dataset.select: no columns selected; a data set needs at least one"
                + " example");
        // no graph: batches are data, even if X happens to track gradients
        try (var scope = Grad.disabled()) {
            return new Dataset(x.selectColumns(columns), y.selectColumns(columns));
        }
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive), like {@code X[:, from:to]}. */
    public Dataset slice(int from, int to) {
        Checks.argument(0 <= from && from < to && to <= size(), "Dataset.slice: [%d, %d) is not a non-empty range"
                + " within the %d examples", from, to, size());
        try (var scope = Grad.disabled()) {
            return new Dataset(x.cols(from, to), y.cols(from, to));
        }
    }

    /**
     * The course's {@code random_mini_batches(X, Y, batchSize, seed)}: {@code np.random.seed(seed)},
     * a permutation of the columns, then {@code ⌊m / batchSize⌋} full batches in order and a last
     * smaller batch with the remaining {@code m mod batchSize} examples, if any
     * ({@code m = 148}, batch 64 gives 64, 64, 20).
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public List<Dataset> miniBatches(int batchSize, long seed) {
        return miniBatches(batchSize, new NumpyRandom(seed));
    }

    /**
     * Like {@link #miniBatches(int, long)} but drawing the permutation from {@code random}
     * (which advances), so successive calls shuffle differently.
     */
    public List<Dataset> miniBatches(int batchSize, NumpyRandom random) {
        checkBatchSize(batchSize);
        Checks.notNull(random, "miniBatches", "random");
        int[] permutation = random.permutation(size());
        return select(permutation).inOrderBatches(batchSize);
    }

    /** Batches of {@code batchSize} consecutive examples without shuffling, the last one possibly smaller. */
    public List<Dataset> inOrderBatches(int batchSize) {
        checkBatchSize(batchSize);
        int m = size();
        if (batchSize >= m) {
            return List.of(this);
        }
        List<Dataset> batches = new ArrayList<>((m + batchSize - 1) / batchSize);
        for (int from = 0; from < m; from += batchSize) {
            batches.add(slice(from, Math.min(m, from + batchSize)));
        }
        return Collections.unmodifiableList(batches);
    }

    private static void checkBatchSize(int batchSize) {
        Checks.argument(batchSize >= 1, "miniBatches: batch size must be at least 1, got %d", batchSize);
    }

    /**
     * The first {@code trainCount} examples for training, the rest for testing, without shuffling.
     *
     * @throws IllegalArgumentException unless {@code 1 ≤ trainCount < m}
     */
    public Split split(int trainCount) {
        Checks.argument(trainCount >= 1 && trainCount < size(), "Dataset.split: training size must be in [1, %d)"
                + " so that both parts have examples, got %d", size(), trainCount);
        return new Split(slice(0, trainCount), slice(trainCount, size()));
    }

    /**
     * A shuffled split: permutes the examples with {@code np.random.seed(seed); permutation(m)}, then
     * puts the first {@code round(trainFraction · m)} (at least 1, at most {@code m − 1}) in the training set.
     *
     * @throws IllegalArgumentException unless {@code 0 < trainFraction < 1} and {@code m ≥ 2}
     */
    public Split split(double trainFraction, long seed) {
        Checks.argument(trainFraction > 0 && trainFraction < 1, "Dataset.split: training fraction must be in"
                + " (0, 1), got %s", trainFraction);
        Checks.argument(size() >= 2, "Dataset.split: need at least 2 examples to split, got %d", size());
        int n = (int) Math.max(1, Math.min(size() - 1, Math.round(trainFraction * size())));
        return select(new NumpyRandom(seed).permutation(size())).split(n);
    }

    /** A training part and a test part. */
    public record Split(Dataset train, Dataset test) {
    }

    @Override
    public String toString() {
        return "Dataset(X " + x.shape() + ", Y " + y.shape() + ")";
    }
}
