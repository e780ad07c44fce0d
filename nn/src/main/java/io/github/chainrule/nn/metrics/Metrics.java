package io.github.chainrule.nn.metrics;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * Classification metrics comparing predicted classes with true labels, both given as
 * {@code (1, m)} rows of class indices (as {@link Predictions} returns) or as one-hot
 * {@code (classes, m)} columns (converted by arg-max).
 *
 * <ul>
 *   <li>accuracy = (number of {@code ŷ = y}) / m;</li>
 *   <li>binary (positive class 1): precision = TP / (TP + FP), recall = TP / (TP + FN),
 *       F1 = 2·P·R / (P + R); a ratio with a zero denominator is 0 (scikit-learn's
 *       {@code zero_division=0});</li>
 *   <li>for more classes use {@link ConfusionMatrix}: per-class and macro-averaged values.</li>
 * </ul>
 */
public final class Metrics {
    private Metrics() {
    }

    /** The fraction of examples whose predicted class equals the label, in [0, 1]. */
    public static double accuracy(Tensor predicted, Tensor labels) {
        int[][] pl = pair("accuracy", predicted, labels);
        int hits = 0;
        for (int j = 0; j < pl[0].length; j++) {
            hits += pl[0][j] == pl[1][j] ? 1 : 0;
        }
        return (double) hits / pl[0].length;
    }

    /** Binary precision TP / (TP + FP) with positive class 1. */
    public static double precision(Tensor predicted, Tensor labels) {
        return binary("precision", predicted, labels).precision(1);
    }

    /** Binary recall TP / (TP + FN) with positive class 1. */
    public static double recall(Tensor predicted, Tensor labels) {
        return binary("recall", predicted, labels).recall(1);
    }

    /** Binary F1 = 2PR / (P + R) with positive class 1. */
    public static double f1(Tensor predicted, Tensor labels) {
        return binary("f1", predicted, labels).f1(1);
    }

    /** The confusion matrix; the number of classes is the largest index seen plus one (at least 2). */
    public static ConfusionMatrix confusionMatrix(Tensor predicted, Tensor labels) {
        int[][] pl = pair("confusionMatrix", predicted, labels);
        int classes = 2;
        for (int[] a : pl) {
            for (int v : a) {
                classes = Math.max(classes, v + 1);
            }
        }
        return ConfusionMatrix.of(pl[1], pl[0], classes);
    }

    private static ConfusionMatrix binary(String op, Tensor predicted, Tensor labels) {
        int[][] pl = pair(op, predicted, labels);
        for (int[] a : pl) {
            for (int v : a) {
                if (v != 0 && v != 1) { // the message (and its boxing) only on failure
                    Checks.argument(false, "%s: binary metric needs classes 0 and 1, found class %d; hint: use"
                            + " Metrics.confusionMatrix(...).macroF1() or per-class values for more classes", op, v);
                }
            }
        }
        return ConfusionMatrix.of(pl[1], pl[0], 2);
    }

    private static int[][] pair(String op, Tensor predicted, Tensor labels) {
        Checks.notNull(predicted, op, "predicted");
        Checks.notNull(labels, op, "labels");
        int[] p = indices(op, "predicted", predicted), l = indices(op, "labels", labels);
        Checks.argument(p.length == l.length, "%s: predicted %s and labels %s have different numbers of examples"
                + " (columns): %d != %d", op, predicted.shape(), labels.shape(), p.length, l.length);
        return new int[][] {p, l};
    }

    /**
     * Class indices from a {@code (1, m)} row of non-negative integers, or the arg-max of each
     * column of a {@code (classes, m)} one-hot matrix.
     *
     * @throws IllegalArgumentException if a {@code (1, m)} value is not a non-negative integer
     */
    static int[] indices(String op, String what, Tensor t) {
        if (t.rows() > 1) {
            return Predictions.classes(t, Predictions.DEFAULT_THRESHOLD);
        }
        double[] a = t.toRowMajorArray();
        int[] out = new int[a.length];
        for (int j = 0; j < a.length; j++) {
            if (!(a[j] >= 0 && a[j] == Math.rint(a[j]) && a[j] < Integer.MAX_VALUE)) { // boxing only on failure
                Checks.argument(false, "%s: %s %s must hold"
                        + " class indices 0, 1, ...; found %s at column %d; hint: classify probabilities first with"
                        + " Predictions.classify(output)", op, what, t.shape(), a[j], j);
            }
            out[j] = (int) a[j];
        }
        return out;
    }
}
