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
        argument(axis == 0 || axis == 1,
                "%s: axis must be 0 (down the rows) or 1 (across the columns), got %d", op, axis);
        return axis;
    }

    /** Throws unless {@code a} and {@code b} have equal shapes. */
    public static void sameShape(String op, Tensor a, Tensor b) {
        argument(a.shape().equals(b.shape()), "%s: shapes %s and %s must be equal", op, a.shape(), b.shape());
    }
}
