package io.github.chainrule.autodiff;

/**
 * The per-call data of an operation that its rules and formulas need beyond the inputs: a
 * constant (the {@code c} of {@code c · x}, an exponent, a slope, an axis), integers (a slice's
 * corners, gathered indices) and tensors saved by the forward pass (masks). Shapes are not kept
 * here: they are the inputs' and the output's.
 */
record Attrs(double constant, int[] ints, Tensor[] saved) {
    static final Attrs NONE = new Attrs(Double.NaN, null, null);

    static Attrs constant(double c) {
        return new Attrs(c, null, null);
    }

    static Attrs ints(int... ints) {
        return new Attrs(Double.NaN, ints, null);
    }

    static Attrs saved(Tensor... saved) {
        return new Attrs(Double.NaN, null, saved);
    }

    static Attrs constantAndSaved(double c, Tensor... saved) {
        return new Attrs(c, null, saved);
    }

    /** The constant as an int (an axis). */
    int axis() {
        return (int) constant;
    }
}
