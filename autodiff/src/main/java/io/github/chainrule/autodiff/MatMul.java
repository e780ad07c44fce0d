package io.github.chainrule.autodiff;

/**
 * Matrix product {@code C = op(A) · op(B)} where {@code op} optionally transposes. Only
 * {@code A·B} is public; the transposed forms exist so that backward never copies a transpose:
 * <pre>
 *   C = A·B    ∂A = G·Bᵀ   ∂B = Aᵀ·G
 *   C = A·Bᵀ   ∂A = G·B    ∂B = Gᵀ·A
 *   C = Aᵀ·B   ∂A = B·Gᵀ   ∂B = A·G
 *   C = Aᵀ·Bᵀ  ∂A = Bᵀ·Gᵀ  ∂B = Gᵀ·Aᵀ
 * </pre>
 * All products run through {@link Gemm}, the one kernel a faster backend would replace.
 */
final class MatMul {
    private MatMul() {
    }

    static Tensor product(Tensor a, Tensor b, boolean ta, boolean tb) {
        Checks.notNull(a, "matmul", "left operand");
        Checks.notNull(b, "matmul", "right operand");
        Shape sa = ta ? a.shape().transposed() : a.shape(), sb = tb ? b.shape().transposed() : b.shape();
        Checks.argument(sa.cols() == sb.rows(), "matmul: shapes %s and %s cannot be multiplied (%d != %d)%s",
                sa, sb, sa.cols(), sb.rows(),
                sa.expandsTo(sb) || sb.expandsTo(sa) ? "; hint: for an elementwise product use mul()" : "");
        Shape out = Shape.of("matmul", sa.rows(), sb.cols());
        double[] c = new double[out.size()];
        Gemm.multiply(ta, tb, a.data, a.rows(), a.cols(), b.data, b.rows(), b.cols(), c);
        Rule ra, rb;
        if (!ta && !tb) {
            ra = Rule.of("∂/∂A = G · Bᵀ", (g, o) -> product(g, b, false, true));
            rb = Rule.of("∂/∂B = Aᵀ · G", (g, o) -> product(a, g, true, false));
        } else if (!ta) {
            ra = Rule.of("∂/∂A = G · B", (g, o) -> product(g, b, false, false));
            rb = Rule.of("∂/∂B = Gᵀ · A", (g, o) -> product(g, a, true, false));
        } else if (!tb) {
            ra = Rule.of("∂/∂A = B · Gᵀ", (g, o) -> product(b, g, false, true));
            rb = Rule.of("∂/∂B = A · G", (g, o) -> product(a, g, false, false));
        } else {
            ra = Rule.of("∂/∂A = Bᵀ · Gᵀ", (g, o) -> product(b, g, true, true));
            rb = Rule.of("∂/∂B = Gᵀ · Aᵀ", (g, o) -> product(g, a, true, true));
        }
        String detail = ta || tb ? (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") : null;
        return Recorder.record("matmul", detail, out, c, new Tensor[] {a, b}, ra, rb);
    }
}
