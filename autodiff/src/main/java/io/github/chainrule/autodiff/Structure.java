package io.github.chainrule.autodiff;

import java.util.List;

/** Operations that move elements without arithmetic: transpose, reshape, slices, gathers, concatenation. */
final class Structure {
    private Structure() {
    }

    private static final Formula.Upstream G = Formula.g();
    private static final Formula.Param INPUT_SHAPE = Formula.param(Formula.Quantity.INPUT_SHAPE);

    /** {@code xᵀ}: ∂/∂x = gᵀ. */
    static final Rule[] TRANSPOSE = {Rule.of("x", new Formula.Transpose(G), (g, out, n, i) -> g.transpose())};

    static Tensor transpose(Tensor x) {
        int rows = x.rows(), cols = x.cols();
        double[] d = x.data(), r = SpareArrays.take(d.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[j * rows + i] = d[i * cols + j];
            }
        }
        return Recorder.record(Primitive.TRANSPOSE, Attrs.NONE, x.shape().transposed(), r, x);
    }

    /** Same elements, new shape (row-major order kept): ∂/∂x = g reshaped back. */
    static final Rule[] RESHAPE = {Rule.of("x", new Formula.Moved(G, Formula.seq(" reshaped to ", INPUT_SHAPE)),
            (g, out, n, i) -> g.reshape(n.inputs[0].rows(), n.inputs[0].cols()))};

    static Tensor reshape(Tensor x, Shape to) {
        Shape from = x.shape();
        if (from.size() != to.size()) {
            Checks.argument(false,
                    "reshape: cannot reshape %s (%d elements) to %s (%d elements)", from, from.size(), to, to.size());
        }
        return Recorder.record(Primitive.RESHAPE, Attrs.NONE, to, x.data().clone(), x);
    }

    /** {@code x[r0:r1, c0:c1]}: ∂/∂x = g placed into zeros of x's shape. */
    static final Rule[] SLICE = {Rule.of("x", new Formula.Moved(G, Formula.seq(" placed at rows ",
            Formula.param(Formula.Quantity.FIRST_ROW), ".., columns ", Formula.param(Formula.Quantity.FIRST_COLUMN),
            ".. of zeros ", INPUT_SHAPE)), (g, out, n, i) -> pad(g, n.inputs[0].shape(), n.attrs.ints()[0], n.attrs.ints()[2]))};

    static Tensor slice(Tensor x, int r0, int r1, int c0, int c1) {
        if (!(0 <= r0 && r0 < r1 && r1 <= x.rows() && 0 <= c0 && c0 < c1 && c1 <= x.cols())) {
            Checks.argument(false,
                    "slice: rows [%d, %d) and columns [%d, %d) are not a non-empty part of %s %s",
                    r0, r1, c0, c1, x.label(), x.shape());
        }
        Shape to = new Shape(r1 - r0, c1 - c0);
        double[] r = SpareArrays.take(to.size());
        for (int i = 0; i < to.rows(); i++) {
            System.arraycopy(x.data(), (r0 + i) * x.cols() + c0, r, i * to.cols(), to.cols());
        }
        return Recorder.record(Primitive.SLICE, Attrs.ints(r0, r1, c0, c1), to, r, x);
    }

    /** The adjoint of {@link #slice}: {@code x} placed at (r0, c0) in zeros of shape {@code to}. ∂/∂x = slice of g. */
    static final Rule[] PAD = {Rule.of("x", new Formula.Moved(G, Formula.param(Formula.Quantity.PADDED_RANGE)),
            (g, out, n, i) -> {
                int r0 = n.attrs.ints()[0], c0 = n.attrs.ints()[1];
                return slice(g, r0, r0 + n.inputs[0].rows(), c0, c0 + n.inputs[0].cols());
            })};

    static Tensor pad(Tensor x, Shape to, int r0, int c0) {
        Checks.argument(r0 >= 0 && c0 >= 0 && r0 + x.rows() <= to.rows() && c0 + x.cols() <= to.cols(),
                "pad: %s at (%d, %d) does not fit in %s", x.shape(), r0, c0, to);
        double[] r = new double[to.size()];
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.data(), i * x.cols(), r, (r0 + i) * to.cols() + c0, x.cols());
        }
        return Recorder.record(Primitive.PAD, Attrs.ints(r0, c0), to, r, x);
    }

    /** {@code x[:, indices]}: ∂/∂x = g's columns added back at their indices. */
    static final Rule[] SELECT_COLUMNS = {Rule.of("x", new Formula.Moved(G, Formula.text("'s columns added at their indices")),
            (g, out, n, i) -> scatterColumns(g, n.attrs.ints(), n.inputs[0].cols()))};

    static Tensor selectColumns(Tensor x, int[] indices) {
        Checks.notNull(indices, "selectColumns", "indices");
        Checks.argument(indices.length > 0, "selectColumns: no indices given");
        int[] idx = indices.clone();
        for (int k : idx) {
            if (k < 0 || k >= x.cols()) {
                Checks.argument(false, "selectColumns: index %d is outside the %d columns of %s %s",
                        k, x.cols(), x.label(), x.shape());
            }
        }
        int rows = x.rows(), n = idx.length;
        Shape to = Shape.of("selectColumns", rows, n);
        double[] d = x.data(), r = SpareArrays.take(to.size());
        for (int i = 0; i < rows; i++) {
            int base = i * x.cols();
            for (int j = 0; j < n; j++) {
                r[i * n + j] = d[base + idx[j]];
            }
        }
        return Recorder.record(Primitive.SELECT_COLUMNS, Attrs.ints(idx), to, r, x);
    }

    /** The adjoint of {@link #selectColumns}: column j of {@code x} added into column {@code idx[j]} of zeros. */
    static final Rule[] SCATTER_COLUMNS = {Rule.of("x", new Formula.Moved(G, Formula.text("'s columns at the indices")),
            (g, out, n, i) -> selectColumns(g, n.attrs.ints()))};

    static Tensor scatterColumns(Tensor x, int[] idx, int cols) {
        Checks.argument(idx.length == x.cols(), "scatterColumns: %d indices for %d columns", idx.length, x.cols());
        int rows = x.rows();
        Shape to = Shape.of("scatterColumns", rows, cols);
        double[] d = x.data(), r = new double[to.size()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < idx.length; j++) {
                r[i * cols + idx[j]] += d[i * idx.length + j];
            }
        }
        return Recorder.record(Primitive.SCATTER_COLUMNS, Attrs.ints(idx), to, r, x);
    }

    /** Joins along {@code axis}: ∂/∂part_i = the slice of g where part i was placed. */
    static final Rule[] CONCAT = {Rule.of("part", new Formula.Moved(G, Formula.param(Formula.Quantity.PART_RANGE)),
            (g, out, n, i) -> {
                int start = n.attrs.ints()[i];
                return n.attrs.axis() == 0 ? g.rows(start, start + n.inputs[i].rows())
                        : g.cols(start, start + n.inputs[i].cols());
            })};

    static Tensor concat(int axis, List<Tensor> parts) {
        Checks.axis("concat", axis);
        Checks.argument(!parts.isEmpty(), "concat: no tensors given");
        Tensor first = Checks.notNull(parts.get(0), "concat", "part 0");
        long total = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = Checks.notNull(parts.get(p), "concat", "part " + p);
            int kept = axis == 0 ? t.cols() : t.rows(), expected = axis == 0 ? first.cols() : first.rows();
            Checks.argument(kept == expected, "concat: along axis %d every part needs %d %s, but part %d is %s"
                    + " and part 0 is %s", axis, expected, axis == 0 ? "columns" : "rows", p, t.shape(), first.shape());
            total += axis == 0 ? t.rows() : t.cols();
        }
        Shape to = axis == 0 ? Shape.of("concat", total, first.cols()) : Shape.of("concat", first.rows(), total);
        double[] r = new double[to.size()];
        int[] starts = new int[parts.size()];
        int offset = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            for (int i = 0; i < t.rows(); i++) {
                int dst = axis == 0 ? (offset + i) * to.cols() : i * to.cols() + offset;
                System.arraycopy(t.data(), i * t.cols(), r, dst, t.cols());
            }
            starts[p] = offset;
            offset += axis == 0 ? t.rows() : t.cols();
        }
        return Recorder.record(Primitive.CONCAT, new Attrs(axis, starts, null), to, r, parts.toArray(new Tensor[0]));
    }
}
