package io.github.chainrule.autodiff;

/**
 * Broadcasting and reductions. {@link #expand} is the only operation that repeats values, and
 * its backward, {@link #sumTo}, the only place a gradient is reduced back to an operand's shape
 * (PyTorch's {@code sum_to}, JAX's {@code _unbroadcast}).
 */
final class Reductions {
    private Reductions() {
    }

    private static final Formula.Upstream G = Formula.g();
    private static final Formula.Param INPUT_SHAPE = Formula.param(Formula.Quantity.INPUT_SHAPE);

    /** Repeats size-1 axes up to {@code target}; returns {@code x} itself when already there. ∂/∂x = sumTo(g, x.shape). */
    static final Rule[] EXPAND = {Rule.of("x", new Formula.Moved(G, Formula.seq(" summed back to ", INPUT_SHAPE)),
            (g, out, n, i) -> g.sumTo(n.inputs[0].shape()))};

    static Tensor expand(Tensor x, Shape target) {
        Checks.notNull(target, "expand", "target");
        if (x.shape().equals(target)) {
            return x;
        }
        if (!x.shape().expandsTo(target)) {
            Checks.argument(false, "expand: shape %s cannot expand to %s (only size-1 axes can grow)", x.shape(), target);
        }
        int rows = target.rows(), cols = target.cols();
        double[] d = x.data(), r = SpareArrays.take(target.size()); // every element is written below
        boolean rowRepeat = x.rows() == 1, colRepeat = x.cols() == 1;
        for (int i = 0; i < rows; i++) {
            int srcRow = rowRepeat ? 0 : i * x.cols();
            if (colRepeat) {
                java.util.Arrays.fill(r, i * cols, (i + 1) * cols, d[rowRepeat ? 0 : i]);
            } else {
                System.arraycopy(d, srcRow, r, i * cols, cols);
            }
        }
        return Recorder.record(Primitive.EXPAND, Attrs.NONE, target, r, x);
    }

    /** Sums {@code x} down to {@code target}, axis by axis; composed of {@link #sumAxis}. */
    static Tensor sumTo(Tensor x, Shape target) {
        Checks.notNull(target, "sumTo", "target");
        if (!target.expandsTo(x.shape())) {
            Checks.argument(false, "sumTo: shape %s cannot be summed to %s (the target must expand to it)", x.shape(), target);
        }
        Tensor r = x;
        if (target.rows() == 1 && x.rows() != 1) {
            r = sumAxis(r, 0);
        }
        if (target.cols() == 1 && x.cols() != 1) {
            r = sumAxis(r, 1);
        }
        return r;
    }

    /** Σ of all elements (or along an axis): ∂/∂x = g expanded to x's shape. */
    static final Rule[] SUM = {Rule.of("x", new Formula.Moved(G, Formula.seq(" expanded to ", INPUT_SHAPE)),
            (g, out, n, i) -> g.expand(n.inputs[0].shape()))};

    /** Σ of all elements, (1, 1). ∂/∂x = g expanded to x's shape. */
    static Tensor sumAll(Tensor x) {
        double s = 0;
        for (double v : x.data()) {
            s += v;
        }
        return Recorder.record(Primitive.SUM, Attrs.NONE, Shape.SCALAR, new double[] {s}, x);
    }

    /** Σ along {@code axis}, keeping it with size 1. ∂/∂x = g expanded to x's shape. */
    static Tensor sumAxis(Tensor x, int axis) {
        Checks.axis("sum", axis);
        Shape from = x.shape(), to = from.reduced(axis);
        int rows = x.rows(), cols = x.cols();
        double[] d = x.data(), r = axis == 0 ? new double[to.size()] : SpareArrays.take(to.size());
        if (axis == 0) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    r[j] += d[i * cols + j];
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += d[i * cols + j];
                }
                r[i] = s;
            }
        }
        return Recorder.recordConstant(Primitive.SUM_AXIS, axis, to, r, x);
    }

    /**
     * Maximum along {@code axis}, keeping it with size 1. ∂/∂x = g expanded, masked to the
     * arg-max; on ties only the first (lowest index) arg-max receives the gradient.
     */
    static final Rule[] MAX_AXIS = {Rule.of("x", new Formula.Moved(G, Formula.text(" at the arg-max, 0 elsewhere")),
            (g, out, n, i) -> g.expand(n.inputs[0].shape()).mul(n.attrs.saved()[0]))};

    static Tensor maxAxis(Tensor x, int axis) {
        Checks.axis("max", axis);
        Shape from = x.shape(), to = from.reduced(axis);
        int rows = x.rows(), cols = x.cols();
        double[] d = x.data(), r = new double[to.size()], mask = new double[d.length];
        int outer = axis == 0 ? cols : rows, inner = axis == 0 ? rows : cols;
        for (int o = 0; o < outer; o++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < inner; k++) {
                int idx = axis == 0 ? k * cols + o : o * cols + k;
                if (best < 0 || d[idx] > bestValue || Double.isNaN(d[idx]) && !Double.isNaN(bestValue)) {
                    best = idx;
                    bestValue = d[idx];
                }
            }
            r[o] = bestValue;
            mask[best] = 1.0;
        }
        Tensor m = Recorder.constant(from, mask);
        return Recorder.record(Primitive.MAX_AXIS, Attrs.constantAndSaved(axis, m), to, r, x);
    }
}
