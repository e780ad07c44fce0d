package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import java.util.List;

/**
 * How a training set is cut into mini-batches at each epoch.
 *
 * <ul>
 *   <li>{@link #fullBatch()}: the whole set every epoch (batch gradient descent; the course's
 *       first three assignments);</li>
 *   <li>{@link #inOrder(int)}: consecutive batches, never shuffled;</li>
 *   <li>{@link #course(int, long)}: the course's optimization notebook, reseeding numpy's
 *       generator with {@code seed + 1} before each epoch;</li>
 *   <li>{@link #shuffled(int, long)}: one generator seeded once per {@code fit}, a new
 *       permutation every epoch (what PyTorch's {@code DataLoader(shuffle=True)} does).</li>
 * </ul>
 *
 * Shuffled batchings return {@code ⌊m / b⌋} full batches followed by one batch of
 * {@code m mod b} examples if that is not zero.
 */
@FunctionalInterface
public interface Batching {

    /** The batches for epoch {@code epoch} (0-based, called with 0, 1, 2, ... in order). */
    List<Dataset> batches(Dataset data, int epoch);

    /** The whole data set as a single batch. */
    static Batching fullBatch() {
        return (data, epoch) -> List.of(data);
    }

    /**
     * Batches of {@code batchSize} consecutive examples, the same every epoch.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    static Batching inOrder(int batchSize) {
        checkBatchSize("inOrder", batchSize);
        return (data, epoch) -> data.inOrderBatches(batchSize);
    }

    /**
     * Exactly the optimization notebook's loop:
     * <pre>{@code
     * seed = 10
     * for i in range(num_epochs):
     *     seed = seed + 1
     *     minibatches = random_mini_batches(X, Y, mini_batch_size, seed)
     * }</pre>
     * Pass the notebook's initial {@code seed} (10): epoch {@code i} is shuffled with
     * {@code np.random.seed(seed + 1 + i)}, i.e. seeds 11, 12, ...
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    static Batching course(int batchSize, long seed) {
        checkBatchSize("course", batchSize);
        return (data, epoch) -> data.miniBatches(batchSize, seed + 1 + epoch);
    }

    /**
     * A new permutation each epoch from one {@link NumpyRandom} seeded with {@code seed} at
     * epoch 0, so a second {@code fit} repeats the first one's batches.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    static Batching shuffled(int batchSize, long seed) {
        checkBatchSize("shuffled", batchSize);
        NumpyRandom random = new NumpyRandom(seed);
        return (data, epoch) -> {
            if (epoch == 0) {
                random.seed(seed);
            }
            return data.miniBatches(batchSize, random);
        };
    }

    private static void checkBatchSize(String op, int batchSize) {
        Checks.argument(batchSize >= 1, "Batching.%s: batch size must be at least 1, got %d", op, batchSize);
    }
}
