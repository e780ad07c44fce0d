package io.github.chainrule.nn.metrics;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;

/**
 * Class predictions from a model's output {@code A[L]}:
 * <ul>
 *   <li>{@code (1, m)} (a sigmoid unit): {@code ŷ = 1} where {@code A > threshold}, else 0; the
 *       course's {@code predict} uses {@code A > 0.5} (strictly). For a model that outputs logits
 *       pass threshold 0.</li>
 *   <li>{@code (classes, m)} (softmax or logits): {@code ŷ = argmax_k A[k, j]} per column, the
 *       first maximum on ties, like {@code np.argmax(A, axis=0)}.</li>
 * </ul>
 * Predictions are returned as {@code (1, m)} tensors of class indices (0.0, 1.0, ...) or as
 * {@code int[]} of length {@code m}.
 */
public final class Predictions {
    /** The course's threshold. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private Predictions() {
    }

    /**
     * Runs {@code model} on {@code X (n_x, m)} in evaluation mode without recording a graph, then
     * classifies its output with threshold 0.5 or arg-max. The model's training mode is restored.
     */
    public static Tensor predict(Module model, Tensor x) {
        return predict(model, x, DEFAULT_THRESHOLD);
    }

    /** Like {@link #predict(Module, Tensor)} with another threshold for a {@code (1, m)} output. */
    public static Tensor predict(Module model, Tensor x, double threshold) {
        return classify(output(model, x), threshold);
    }

    /**
     * {@code model.forward(X)} in evaluation mode without recording a graph; restores the model's
     * training mode afterwards.
     */
    public static Tensor output(Module model, Tensor x) {
        Checks.notNull(model, "predict", "model");
        Checks.notNull(x, "predict", "X");
        boolean training = model.isTraining();
        model.eval();
        try (var scope = Grad.disabled()) {
            return model.forward(x);
        } finally {
            if (training) {
                model.train();
            }
        }
    }

    /** Classifies an output {@code (1, m)} with threshold 0.5, or {@code (classes, m)} by arg-max. */
    public static Tensor classify(Tensor output) {
        return classify(output, DEFAULT_THRESHOLD);
    }

    /** Classifies an output {@code (1, m)} with {@code threshold}, or {@code (classes, m)} by arg-max. */
    public static Tensor classify(Tensor output, double threshold) {
        int[] labels = classes(output, threshold);
        double[] row = new double[labels.length];
        for (int j = 0; j < row.length; j++) {
            row[j] = labels[j];
        }
        return Tensor.row(row);
    }

    /** Like {@link #classify(Tensor, double)} as an {@code int[]} of length {@code m}. */
    public static int[] classes(Tensor output, double threshold) {
        Checks.notNull(output, "classify", "output");
        Checks.argument(!Double.isNaN(threshold), "classify: threshold must be a number, got NaN");
        int k = output.rows(), m = output.cols();
        double[] a = output.toRowMajorArray();
        int[] out = new int[m];
        for (int j = 0; j < m; j++) {
            if (k == 1) {
                checkFinite(a[j], 0, j, output);
                out[j] = a[j] > threshold ? 1 : 0;
            } else {
                int best = 0;
                for (int i = 0; i < k; i++) {
                    checkFinite(a[i * m + j], i, j, output);
                    if (a[i * m + j] > a[best * m + j]) {
                        best = i;
                    }
                }
                out[j] = best;
            }
        }
        return out;
    }

    private static void checkFinite(double v, int i, int j, Tensor output) {
        Checks.argument(!Double.isNaN(v), "classify: output %s has NaN at (%d, %d); the model diverged or its"
                + " input holds NaN", output.shape(), i, j);
    }
}
