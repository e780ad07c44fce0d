package io.github.chainrule.autodiff;

import java.util.Objects;

/**
 * Argument and state checks that format chainrule's error messages: the operation, a colon,
 * the problem with the full shapes or values involved, and a hint when the fix is obvious.
 * Messages are formatted only when a check fails.
 *
 * <p>Caller mistakes throw {@link IllegalArgumentException}; lifecycle misuse throws
 * {@link IllegalStateException}.
 */
public final class Checks {
    private Checks() {
    }

    /** Throws {@code IllegalArgumentException(String.format(template, args))} unless {@code ok}. */
    public static void argument(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /** Throws {@code IllegalStateException(String.format(template, args))} unless {@code ok}. */
    public static void state(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(template, args));
        }
    }

    /** Returns {@code value}, or throws {@code NullPointerException("op: what must not be null")}. */
    public static <T> T notNull(T value, String op, String what) {
        return Objects.requireNonNull(value, () -> op + ": " + what + " must not be null");
    }

    /** Returns {@code axis} if it is 0 (rows) or 1 (columns); otherwise throws naming the op. */
    public static int axis(String op, int axis) {
        if (axis != 0 && axis != 1) {
            argument(false, "%s: axis must be 0 (down the rows) or 1 (across the columns), got %d", op, axis);
        }
        return axis;
    }

    /** Throws unless {@code a} and {@code b} have equal shapes. */
    public static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            argument(false, "%s: shapes %s and %s must be equal", op, a.shape(), b.shape());
        }
    }

    /**
     * The one label check of every loss (the fused {@link Tensor} losses and {@code nn.Losses}):
     * labels must have exactly the predictions' shape {@code (outputs, m)}, one example per
     * column. Labels are never broadcast, because a {@code (1, m)} vs {@code (m, 1)} mix-up would
     * otherwise silently give an {@code (m, m)} loss (PyTorch raises there too). The hint says how
     * to fix the common cases: transposed labels, and integer class labels given as a row.
     *
     * @param op          the loss, named first in the error
     * @param predictions what the predictions are called in the error ({@code "logits"}, {@code "output"}, ...)
     * @throws IllegalArgumentException if the shapes differ, naming both
     * @throws NullPointerException     if a tensor is null
     */
    public static void labels(String op, String predictions, Tensor output, Tensor labels) {
        notNull(output, op, predictions);
        notNull(labels, op, "labels");
        Shape o = output.shape(), y = labels.shape();
        if (o.equals(y)) {
            return;
        }
        String hint;
        if (y.equals(o.transposed())) {
            hint = "the labels look transposed; one example per column, so pass labels.transpose()";
        } else if (y.rows() == 1 && y.cols() == o.cols() && o.rows() > 1) {
            hint = "for integer class labels given as a row, pass one-hot columns of shape (" + o.rows()
                    + ", m) (nn's Losses.oneHot(labels, " + o.rows() + ") builds them)";
        } else {
            hint = "one example per column, so " + predictions + " and labels are both (outputs, m)";
        }
        throw new IllegalArgumentException(String.format("%s: labels %s must have the shape of the %s %s (labels"
                + " are not broadcast); hint: %s", op, y, predictions, o, hint));
    }
}
