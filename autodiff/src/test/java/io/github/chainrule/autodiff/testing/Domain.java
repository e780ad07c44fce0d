package io.github.chainrule.autodiff.testing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Maps raw draws in [-1, 1] (which Americium shrinks towards 0) to an operand's values inside
 * the region where an operation is smooth: log needs positive inputs, relu inputs away from
 * its kink, max distinct values so the arg-max does not flip under a finite difference.
 */
@FunctionalInterface
public interface Domain {
    /** The operand's values (row-major) for the raw draws. */
    double[] values(double[] raw);

    /** Any real in [-scale, scale]. */
    static Domain real(double scale) {
        return raw -> Arrays.stream(raw).map(r -> r * scale).toArray();
    }

    /** Any real in [-3, 3]. */
    static Domain real() {
        return real(3);
    }

    /** In [0.2, 3.2]. */
    static Domain positive() {
        return raw -> Arrays.stream(raw).map(r -> 0.2 + 3 * Math.abs(r)).toArray();
    }

    /** In [-3.1, -0.1] ∪ [0.1, 3.1], for kinks and poles at 0. */
    static Domain awayFromZero() {
        return raw -> Arrays.stream(raw).map(r -> r >= 0 ? 0.1 + 3 * r : -0.1 + 3 * r).toArray();
    }

    /** In [0.05, 0.95], for probabilities and labels. */
    static Domain unitInterval() {
        return raw -> Arrays.stream(raw).map(r -> 0.5 + 0.45 * r).toArray();
    }

    /** Values whose pairwise gaps are at least 0.4, ordered like the raw draws: no ties for max. */
    static Domain distinct() {
        return raw -> {
            Integer[] order = IntStream.range(0, raw.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> raw[i]));
            double[] v = new double[raw.length];
            for (int rank = 0; rank < order.length; rank++) {
                v[order[rank]] = 0.5 * rank + 0.05 * raw[order[rank]] - 0.25 * raw.length;
            }
            return v;
        };
    }

    /**
     * Integers in [-3, 3] plus {@code offset}: two operands with offsets 0.25 and -0.25 never
     * come within 0.5 of each other, so elementwise maximum and minimum never tie.
     */
    static Domain grid(double offset) {
        return raw -> Arrays.stream(raw).map(r -> Math.rint(3 * r) + offset).toArray();
    }
}
