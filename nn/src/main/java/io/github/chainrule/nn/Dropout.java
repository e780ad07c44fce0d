package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * Inverted dropout: in training mode each forward draws a mask {@code D} with
 * {@code D = rand(n, m) < keep_prob} (the course's numpy code, drawn from the given
 * {@link NumpyRandom}, row-major) and returns {@code A ⊙ D / keep_prob}; in evaluation mode it
 * returns its input unchanged. With {@code keep_prob = 1} nothing is dropped and nothing is drawn.
 *
 * <p><b>Seeding.</b> The masks come from the generator given to the constructor, which keeps
 * advancing: by default ({@link Seeding#ONCE}) each forward pass draws new masks, as dropout
 * is meant to. The course's regularization notebook instead calls {@code np.random.seed(1)} at the
 * start of every {@code forward_propagation_with_dropout}, so every iteration draws the same masks
 * {@code D1, D2, ...} (layer by layer, {@code np.random.rand(A.shape)}); a network seeded once
 * matches the notebook at iteration 0 and then drifts from its costs. To reproduce the notebook
 * use {@code Sequential.builder(...).dropout(keepProb, 1, Dropout.Seeding.EVERY_FORWARD)}, or, for
 * a network assembled by hand, give every dropout layer the same generator and call
 * {@code rng.seed(1)} before each forward pass.
 */
public final class Dropout extends Layer {
    /**
     * When the mask generator of a network's dropout layers is seeded (see {@link
     * Sequential.Builder#dropout(double, long, Seeding)}).
     */
    public enum Seeding {
        /**
         * Seeded once, when the network is built: every forward pass draws new masks (the default,
         * and what dropout is meant to do).
         */
        ONCE,
        /**
         * Reseeded at the start of every forward pass of the network, as the course's regularization
         * notebook does with {@code np.random.seed(1)} inside {@code forward_propagation_with_dropout}:
         * the masks are drawn layer by layer in forward order and are the same at every iteration.
         */
        EVERY_FORWARD
    }

    private final double keepProb;
    private final NumpyRandom rng;
    private Tensor lastMask;

    /**
     * @param keepProb probability of keeping a unit, in (0, 1]
     * @param rng      the generator the masks are drawn from (advanced by {@code n·m} draws per forward)
     */
    public Dropout(double keepProb, NumpyRandom rng) {
        super("dropout");
        checkKeepProb("Dropout", keepProb);
        this.keepProb = keepProb;
        this.rng = Checks.notNull(rng, "Dropout", "rng");
    }

    static void checkKeepProb(String op, double keepProb) {
        Checks.argument(keepProb > 0 && keepProb <= 1,
                "%s: keep_prob must be in (0, 1], got %s; hint: keep_prob is the probability of keeping a unit"
                + " (1 disables dropout), not of dropping it", op, keepProb);
    }

    /**
     * A 0/1 mask {@code rand(rows, cols) < keepProb}, drawn row-major from {@code rng} exactly as
     * {@code (np.random.rand(rows, cols) < keep_prob).astype(int)}.
     */
    public static Tensor mask(int rows, int cols, double keepProb, NumpyRandom rng) {
        checkKeepProb("Dropout.mask", keepProb);
        double[] d = Tensor.rand(rows, cols, Checks.notNull(rng, "Dropout.mask", "rng")).toRowMajorArray();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] < keepProb ? 1.0 : 0.0;
        }
        return Tensor.fromRowMajor(rows, cols, d);
    }

    /** {@code A ⊙ D / keep_prob} in training mode, {@code A} in evaluation mode. */
    @Override
    public Tensor forward(Tensor a) {
        Checks.notNull(a, who(), "input");
        if (!isTraining() || keepProb == 1.0) {
            lastMask = null;
            return a;
        }
        lastMask = mask(a.rows(), a.cols(), keepProb, rng).named(course("D"));
        return Functional.dropout(a, lastMask, keepProb).named("dropout(" + course("A") + ")");
    }

    /** The probability of keeping a unit. */
    public double keepProb() {
        return keepProb;
    }

    /** The mask {@code D[l]} of the latest training-mode forward, or {@code null}. */
    public Tensor lastMask() {
        return lastMask;
    }

    @Override
    public String toString() {
        return String.format("%s: Dropout(keep_prob = %s)", layerName(), keepProb);
    }
}
