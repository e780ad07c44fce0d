package io.github.chainrule.autodiff;

import java.util.Locale;

/** Number and tensor formatting shared by {@code toString}, errors and graph labels. */
public final class Format {
    private static final int EDGE = 3;

    private Format() {
    }

    /**
     * A number in at most 8 significant digits without trailing zeros: {@code 33}, {@code 0.5},
     * {@code 1.6243454}, {@code 1.5e-08}.
     */
    public static String number(double v) {
        return number(v, 8);
    }

    /** A number in at most {@code digits} significant digits (at least 1), without trailing zeros. */
    public static String number(double v, int digits) {
        Checks.argument(digits >= 1, "Format.number: digits must be at least 1, got %d", digits);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = String.format(Locale.ROOT, "%." + digits + "g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e), exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + exponent;
    }

    static String tensor(Tensor t) {
        String head = (t.name() != null ? t.name() : "tensor") + " " + t.shape();
        if (t.isReleased()) { // a debugger calls toString: say so rather than throw
            return head + " (released when its Step closed)";
        }
        if (t.shape().isScalar()) {
            return head + " = " + number(t.data()[0]);
        }
        StringBuilder b = new StringBuilder(head).append(" =\n[");
        int rows = t.rows(), cols = t.cols();
        for (int i = 0; i < rows; i++) {
            if (rows > 2 * EDGE && i == EDGE) {
                b.append("...,\n ");
                i = rows - EDGE;
            }
            b.append("[");
            for (int j = 0; j < cols; j++) {
                if (cols > 2 * EDGE && j == EDGE) {
                    b.append("..., ");
                    j = cols - EDGE;
                }
                b.append(number(t.data()[i * cols + j]));
                if (j < cols - 1) {
                    b.append(", ");
                }
            }
            b.append(i < rows - 1 ? "],\n " : "]]");
        }
        return b.toString();
    }
}
