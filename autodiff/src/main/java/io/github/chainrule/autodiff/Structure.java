package io.github.chainrule.autodiff;

import java.util.List;

/** Operations that move elements without arithmetic: transpose, reshape, slices, gathers, concatenation. */
final class Structure {
    private Structure() {
    }

    /** {@code xᵀ}: ∂/∂x = gᵀ. */
    static Tensor transpose(Tensor x) {
        int rows = x.rows(), cols = x.cols();
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[j * rows + i] = d[i * cols + j];
            }
        }
        return Recorder.record("transpose", null, x.shape().transposed(), r, new Tensor[] {x},
                Rule.of("∂/∂x = gᵀ", (g, out) -> g.transpose()));
    }

    /** Same elements, new shape (row-major order kept): ∂/∂x = g reshaped back. */
    static Tensor reshape(Tensor x, Shape to) {
        Shape from = x.shape();
        Checks.argument(from.size() == to.size(),
                "reshape: cannot reshape %s (%d elements) to %s (%d elements)", from, from.size(), to, to.size());
        return Recorder.record("reshape", from + " → " + to, to, x.data.clone(), new Tensor[] {x},
                Rule.of("∂/∂x = g reshaped to " + from, (g, out) -> g.reshape(from.rows(), from.cols())));
    }

    /** {@code x[r0:r1, c0:c1]}: ∂/∂x = g placed into zeros of x's shape. */
    static Tensor slice(Tensor x, int r0, int r1, int c0, int c1) {
        Checks.argument(0 <= r0 && r0 < r1 && r1 <= x.rows() && 0 <= c0 && c0 < c1 && c1 <= x.cols(),
                "slice: rows [%d, %d) and columns [%d, %d) are not a non-empty part of %s %s",
                r0, r1, c0, c1, x.label(), x.shape());
        Shape to = new Shape(r1 - r0, c1 - c0);
        double[] r = new double[to.size()];
        for (int i = 0; i < to.rows(); i++) {
            System.arraycopy(x.data, (r0 + i) * x.cols() + c0, r, i * to.cols(), to.cols());
        }
        Shape from = x.shape();
        return Recorder.record("slice", "[" + r0 + ":" + r1 + ", " + c0 + ":" + c1 + "]", to, r, new Tensor[] {x},
                Rule.of("∂/∂x = g placed at rows " + r0 + ".., columns " + c0 + ".. of zeros " + from,
                        (g, out) -> pad(g, from, r0, c0)));
    }

    /** The adjoint of {@link #slice}: {@code x} placed at (r0, c0) in zeros of shape {@code to}. ∂/∂x = slice of g. */
    static Tensor pad(Tensor x, Shape to, int r0, int c0) {
        Checks.argument(r0 >= 0 && c0 >= 0 && r0 + x.rows() <= to.rows() && c0 + x.cols() <= to.cols(),
                "pad: %s at (%d, %d) does not fit in %s", x.shape(), r0, c0, to);
        double[] r = new double[to.size()];
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.data, i * x.cols(), r, (r0 + i) * to.cols() + c0, x.cols());
        }
        int r1 = r0 + x.rows(), c1 = c0 + x.cols();
        return Recorder.record("pad", to + " at (" + r0 + ", " + c0 + ")", to, r, new Tensor[] {x},
                Rule.of("∂/∂x = g[" + r0 + ":" + r1 + ", " + c0 + ":" + c1 + "]", (g, out) -> slice(g, r0, r1, c0, c1)));
    }

    /** {@code x[:, indices]}: ∂/∂x = g's columns added back at their indices. */
    static Tensor selectColumns(Tensor x, int[] indices) {
        Checks.notNull(indices, "selectColumns", "indices");
        Checks.argument(indices.length > 0, "selectColumns: no indices given");
        int[] idx = indices.clone();
        for (int k : idx) {
            Checks.argument(k >= 0 && k < x.cols(), "selectColumns: index %d is outside the %d columns of %s %s",
                    k, x.cols(), x.label(), x.shape());
        }
        int rows = x.rows(), n = idx.length;
        Shape to = Shape.of("selectColumns", rows, n);
        double[] r = new double[to.size()];
        for (int i = 0; i < rows; i++) {
            int base = i * x.cols();
            for (int j = 0; j < n; j++) {
                r[i * n + j] = x.data[base + idx[j]];
            }
        }
        int cols = x.cols();
        return Recorder.record("selectColumns", n + " of " + cols, to, r, new Tensor[] {x},
                Rule.of("∂/∂x = g's columns added at their indices", (g, out) -> scatterColumns(g, idx, cols)));
    }

    /** The adjoint of {@link #selectColumns}: column j of {@code x} added into column {@code idx[j]} of zeros. */
    static Tensor scatterColumns(Tensor x, int[] idx, int cols) {
        Checks.argument(idx.length == x.cols(), "scatterColumns: %d indices for %d columns", idx.length, x.cols());
        int rows = x.rows();
        Shape to = Shape.of("scatterColumns", rows, cols);
        double[] r = new double[to.size()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < idx.length; j++) {
                r[i * cols + idx[j]] += x.data[i * idx.length + j];
            }
        }
        return Recorder.record("scatterColumns", idx.length + " into " + cols, to, r,
                new Tensor[] {x}, Rule.of("∂/∂x = g's columns at the indices", (g, out) -> selectColumns(g, idx)));
    }

    /** Joins along {@code axis}: ∂/∂part_i = the slice of g where part i was placed. */
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
        Rule[] rules = new Rule[parts.size()];
        int offset = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            for (int i = 0; i < t.rows(); i++) {
                int dst = axis == 0 ? (offset + i) * to.cols() : i * to.cols() + offset;
                System.arraycopy(t.data, i * t.cols(), r, dst, t.cols());
            }
            int start = offset, end = offset + (axis == 0 ? t.rows() : t.cols());
            rules[p] = axis == 0
                    ? Rule.of("∂/∂part = g[" + start + ":" + end + ", :]", (g, out) -> g.rows(start, end))
                    : Rule.of("∂/∂part = g[:, " + start + ":" + end + "]", (g, out) -> g.cols(start, end));
            offset = end;
        }
        return Recorder.record("concat", "axis " + axis, to, r, parts.toArray(new Tensor[0]), rules);
    }
}
