package io.github.chainrule.nn.metrics;

import io.github.chainrule.autodiff.Checks;
import java.util.Arrays;
import java.util.Locale;

/**
 * Counts {@code C[a][p]} of examples with actual class {@code a} predicted as {@code p}; rows are
 * actual classes, columns predicted ones (scikit-learn's layout). From it:
 * <ul>
 *   <li>{@code accuracy = Σ_k C[k][k] / m};</li>
 *   <li>{@code precision(k) = C[k][k] / Σ_a C[a][k]} (of those predicted k, how many are k);</li>
 *   <li>{@code recall(k) = C[k][k] / Σ_p C[k][p]} (of the actual k, how many were found);</li>
 *   <li>{@code f1(k) = 2·precision·recall / (precision + recall)};</li>
 *   <li>macro averages: the unweighted mean over classes.</li>
 * </ul>
 * A ratio with a zero denominator is 0. Immutable.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * Counts pairs {@code (actual[j], predicted[j])}.
     *
     * @throws IllegalArgumentException if the arrays differ in length or hold a class outside {@code [0, classes)}
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        Checks.notNull(actual, "ConfusionMatrix", "actual");
        Checks.notNull(predicted, "ConfusionMatrix", "predicted");
        Checks.argument(classes >= 2, "ConfusionMatrix: need at least 2 classes, got %d", classes);
        Checks.argument(actual.length == predicted.length, "ConfusionMatrix: %d actual labels but %d predictions",
                actual.length, predicted.length);
        Checks.argument(actual.length > 0, "ConfusionMatrix: no examples");
        long[][] c = new long[classes][classes];
        for (int j = 0; j < actual.length; j++) {
            if (!(actual[j] >= 0 && actual[j] < classes && predicted[j] >= 0 && predicted[j] < classes)) {
                Checks.argument(false, // the message (and its boxing) only on failure
                        "ConfusionMatrix: example %d has actual class %d and predicted class %d; classes are 0..%d",
                        j, actual[j], predicted[j], classes - 1);
            }
            c[actual[j]][predicted[j]]++;
        }
        return new ConfusionMatrix(c);
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** Examples of actual class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        Arrays.setAll(copy, i -> counts[i].clone());
        return copy;
    }

    /** The number of examples. */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    /** The fraction of examples on the diagonal. */
    public double accuracy() {
        long d = 0;
        for (int k = 0; k < counts.length; k++) {
            d += counts[k][k];
        }
        return (double) d / total();
    }

    /** {@code C[k][k] / Σ_a C[a][k]}, 0 if class {@code k} is never predicted. */
    public double precision(int k) {
        checkClass(k);
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[k];
        }
        return ratio(counts[k][k], predicted);
    }

    /** {@code C[k][k] / Σ_p C[k][p]}, 0 if class {@code k} never occurs. */
    public double recall(int k) {
        checkClass(k);
        return ratio(counts[k][k], Arrays.stream(counts[k]).sum());
    }

    /** The harmonic mean of precision and recall of class {@code k}; 0 if both are 0. */
    public double f1(int k) {
        double p = precision(k), r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The mean of {@link #precision(int)} over classes. */
    public double macroPrecision() {
        double s = 0;
        for (int k = 0; k < classes(); k++) {
            s += precision(k);
        }
        return s / classes();
    }

    /** The mean of {@link #recall(int)} over classes. */
    public double macroRecall() {
        double s = 0;
        for (int k = 0; k < classes(); k++) {
            s += recall(k);
        }
        return s / classes();
    }

    /** The mean of {@link #f1(int)} over classes. */
    public double macroF1() {
        double s = 0;
        for (int k = 0; k < classes(); k++) {
            s += f1(k);
        }
        return s / classes();
    }

    private void checkClass(int k) {
        Checks.argument(k >= 0 && k < classes(), "ConfusionMatrix: class %d is outside 0..%d", k, classes() - 1);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /**
     * A table with actual classes as rows and predicted classes as columns, then precision,
     * recall and F1 per class:
     * <pre>
     * actual \ predicted      0      1
     *                  0     50      3
     *                  1      5     42
     * </pre>
     */
    @Override
    public String toString() {
        int w = Math.max(6, Long.toString(Arrays.stream(counts).flatMapToLong(Arrays::stream).max().orElse(0)).length() + 2);
        StringBuilder b = new StringBuilder("actual \\ predicted");
        for (int p = 0; p < classes(); p++) {
            b.append(String.format(Locale.ROOT, "%" + w + "d", p));
        }
        b.append('\n');
        for (int a = 0; a < classes(); a++) {
            b.append(String.format(Locale.ROOT, "%18d", a));
            for (int p = 0; p < classes(); p++) {
                b.append(String.format(Locale.ROOT, "%" + w + "d", counts[a][p]));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-8s%10s%10s%10s%n", "class", "precision", "recall", "f1"));
        for (int k = 0; k < classes(); k++) {
            b.append(String.format(Locale.ROOT, "%-8d%10.4f%10.4f%10.4f%n", k, precision(k), recall(k), f1(k)));
        }
        b.append(String.format(Locale.ROOT, "accuracy %.4f (%d examples)", accuracy(), total()));
        return b.toString();
    }
}
