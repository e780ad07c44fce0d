package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Anomaly;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * Costs: the mean over the {@code m} examples (columns) of a per-example loss, each returning a
 * {@code (1, 1)} tensor ready for {@code backward()}. Outputs and labels have the same shape
 * {@code (n, m)}; nothing is broadcast, because a {@code (1, m)} vs {@code (m, 1)} mix-up would
 * otherwise silently give an {@code (m, m)} matrix. Every loss here and the fused losses of
 * {@link Tensor} make that check through {@link Checks#labels}; a custom {@link Loss} can too. The {@link Loss} constants plug these into
 * training code, e.g. {@code Losses.BINARY_CROSS_ENTROPY.cost(aL, y)}.
 */
public final class Losses {
    static {
        Anomaly.markLibraryCode(Losses.class);
    }

    /** {@link #binaryCrossEntropy}. */
    public static final Loss BINARY_CROSS_ENTROPY = Losses::binaryCrossEntropy;
    /** {@link #binaryCrossEntropyFromLogits}. */
    public static final Loss BINARY_CROSS_ENTROPY_FROM_LOGITS = Losses::binaryCrossEntropyFromLogits;
    /** {@link #softmaxCrossEntropyFromLogits(Tensor, Tensor)} with one-hot labels. */
    public static final Loss SOFTMAX_CROSS_ENTROPY_FROM_LOGITS = Losses::softmaxCrossEntropyFromLogits;
    /** {@link #meanSquaredError}. */
    public static final Loss MEAN_SQUARED_ERROR = Losses::meanSquaredError;
    /** {@link #halfSquaredError}. */
    public static final Loss HALF_SQUARED_ERROR = Losses::halfSquaredError;

    private Losses() {
    }

    /**
     * Binary cross-entropy of probabilities {@code a} (a sigmoid output) against labels {@code y}
     * in {0, 1}: {@code J = −(1/m) Σ [y·log a + (1 − y)·log(1 − a)]}, summed over rows too for
     * several independent outputs. Built on {@link Tensor#binaryCrossEntropy}: each log is
     * floored at −100, so a saturated sigmoid ({@code a} = 1.0 for a label 0) gives a large
     * finite cost instead of ∞ or NaN, and the gradient {@code (a − y) / max(a(1 − a), 1e-12)}
     * stays nonzero so training can leave saturation. Prefer {@link #binaryCrossEntropyFromLogits},
     * which never saturates. Course check: Y = [1, 1, 0],
     * A = [.8, .9, .4] gives 0.2797765635793422.
     *
     * @throws IllegalArgumentException if shapes differ, a label is not 0 or 1, or an output lies outside [0, 1]
     */
    public static Tensor binaryCrossEntropy(Tensor a, Tensor y) {
        String op = "binaryCrossEntropy";
        checkPair(op, a, y);
        checkBinaryLabels(op, y);
        double[] v = a.toRowMajorArray();
        for (int i = 0; i < v.length; i++) {
            // NaN passes: training code reports non-finite costs with its own context
            if (v[i] < 0 || v[i] > 1) { // the message (and its boxing) only on failure: this runs every step
                Checks.argument(false, "%s: output has %s at (%d, %d), outside [0, 1]; hint: apply"
                        + " sigmoid first, or use binaryCrossEntropyFromLogits on Z", op, v[i], i / a.cols(), i % a.cols());
            }
        }
        return a.binaryCrossEntropy(y).sum().mul(1.0 / a.cols());
    }

    /**
     * Binary cross-entropy from logits {@code z} (the pre-activation of a sigmoid output):
     * {@code J = (1/m) Σ [max(z, 0) − z·y + log(1 + e^−|z|)]}, the fused, stable form of
     * {@code binaryCrossEntropy(σ(z), y)}. {@code ∂J/∂z = (σ(z) − y)/m}: the course's {@code dZ[L] = A[L] − Y}.
     *
     * @throws IllegalArgumentException if shapes differ or a label is not 0 or 1
     */
    public static Tensor binaryCrossEntropyFromLogits(Tensor z, Tensor y) {
        String op = "binaryCrossEntropyFromLogits";
        checkPair(op, z, y);
        checkBinaryLabels(op, y);
        return z.sigmoidCrossEntropyWithLogits(y).sum().mul(1.0 / z.cols());
    }

    /**
     * Softmax cross-entropy from logits {@code z} of shape {@code (classes, m)} and one-hot (or
     * probability) label columns {@code y} of the same shape:
     * {@code J = −(1/m) Σ_j Σ_k y_kj log softmax(z)_kj}, computed through log-sum-exp.
     * {@code ∂J/∂z = (softmax(z) − y)/m} for one-hot labels.
     *
     * @throws IllegalArgumentException if shapes differ or a label is negative
     */
    public static Tensor softmaxCrossEntropyFromLogits(Tensor z, Tensor y) {
        String op = "softmaxCrossEntropyFromLogits";
        checkPair(op, z, y);
        double[] v = y.toRowMajorArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) { // the message (and its boxing) only on failure: this runs every step
                Checks.argument(false, "%s: labels have %s at (%d, %d); one-hot or probability labels"
                        + " lie in [0, 1]", op, v[i], i / y.cols(), i % y.cols());
            }
        }
        return z.softmaxCrossEntropyWithLogits(y).sum().mul(1.0 / z.cols());
    }

    /**
     * Softmax cross-entropy from logits {@code z} {@code (classes, m)} and integer class labels,
     * one per column: the same as with {@link #oneHot oneHot(labels, classes)}.
     *
     * @throws IllegalArgumentException if there are not m labels or one is outside [0, classes)
     */
    public static Tensor softmaxCrossEntropyFromLogits(Tensor z, int[] labels) {
        String op = "softmaxCrossEntropyFromLogits";
        Checks.notNull(z, op, "z");
        Checks.notNull(labels, op, "labels");
        Checks.argument(labels.length == z.cols(), "%s: %d labels for logits %s: expected one label per column (%d)",
                op, labels.length, z.shape(), z.cols());
        return softmaxCrossEntropyFromLogits(z, oneHot(labels, z.rows()));
    }

    /**
     * Mean squared error {@code J = (1/(n·m)) Σ (ŷ − y)²}: per example the mean over the n
     * outputs, then the mean over the m examples (numpy's {@code np.mean((yhat − y)**2)}).
     */
    public static Tensor meanSquaredError(Tensor yHat, Tensor y) {
        checkPair("meanSquaredError", yHat, y);
        return yHat.sub(y).pow(2).mean();
    }

    /**
     * The course's squared error {@code L(ŷ, y) = ½ ‖ŷ − y‖²} per example, averaged over the m
     * examples: {@code J = (1/2m) Σ (ŷ − y)²}. Its gradient is {@code (ŷ − y)/m}, without the 2.
     */
    public static Tensor halfSquaredError(Tensor yHat, Tensor y) {
        checkPair("halfSquaredError", yHat, y);
        return yHat.sub(y).pow(2).sum().mul(0.5 / yHat.cols());
    }

    /**
     * One-hot columns for integer labels: a {@code (classes, m)} tensor with a 1 in row
     * {@code labels[j]} of column {@code j}. Not differentiable (labels are data).
     *
     * @throws IllegalArgumentException if a label is outside [0, classes)
     */
    public static Tensor oneHot(int[] labels, int classes) {
        Checks.notNull(labels, "oneHot", "labels");
        Checks.argument(classes > 0, "oneHot: classes must be positive, got %d", classes);
        Checks.argument(labels.length > 0, "oneHot: no labels");
        double[] d = new double[classes * labels.length];
        for (int j = 0; j < labels.length; j++) {
            int c = labels[j];
            if (c < 0 || c >= classes) { // the message (and its boxing) only on failure
                Checks.argument(false, "oneHot: label %d of example %d is outside [0, %d)", c, j, classes);
            }
            d[c * labels.length + j] = 1.0;
        }
        return Tensor.fromRowMajor(classes, labels.length, d);
    }

    private static void checkPair(String op, Tensor out, Tensor y) {
        Checks.labels(op, "output", out, y);
    }

    private static void checkBinaryLabels(String op, Tensor y) {
        double[] v = y.toRowMajorArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] == 0 || v[i] == 1)) { // the message (and its boxing) only on failure: this runs every step
                Checks.argument(false, "%s: labels must be 0 or 1, found %s at (%d, %d); hint: for"
                        + " several classes use softmaxCrossEntropyFromLogits", op, v[i], i / y.cols(), i % y.cols());
            }
        }
    }
}
