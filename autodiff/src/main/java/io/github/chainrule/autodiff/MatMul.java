package io.github.chainrule.autodiff;

/**
 * Matrix product {@code C = op(A) · op(B)} where {@code op} optionally transposes one operand.
 * Only {@code A·B} is public; the transposed forms exist so that backward never copies a transpose:
 * <pre>
 *   C = A·B    ∂A = G·Bᵀ   ∂B = Aᵀ·G
 *   C = A·Bᵀ   ∂A = G·B    ∂B = Gᵀ·A
 *   C = Aᵀ·B   ∂A = B·Gᵀ   ∂B = A·G
 * </pre>
 * The backward of each form uses only these three ({@code Aᵀ·Bᵀ} is never needed). All products
 * run through {@link Gemm}, the one kernel a faster backend would replace.
 */
final class MatMul {
    private MatMul() {
    }

    private static final Formula.Upstream G = new Formula.Upstream("G");
    private static final Formula.Input A = Formula.in(0, "A"), B = Formula.in(1, "B");

    /** {@code A·B}: ∂/∂A = G · Bᵀ, ∂/∂B = Aᵀ · G. */
    static final Rule[] PLAIN = {
        Rule.of("A", Formula.times(G, new Formula.Transpose(B)), (g, o, n, i) -> product(g, n.inputs[1], false, true)),
        Rule.of("B", Formula.times(new Formula.Transpose(A), G), (g, o, n, i) -> product(n.inputs[0], g, true, false))};
    /** {@code A·Bᵀ}: ∂/∂A = G · B, ∂/∂B = Gᵀ · A. */
    static final Rule[] RIGHT_TRANSPOSED = {
        Rule.of("A", Formula.times(G, B), (g, o, n, i) -> product(g, n.inputs[1], false, false)),
        Rule.of("B", Formula.times(new Formula.Transpose(G), A), (g, o, n, i) -> product(g, n.inputs[0], true, false))};
    /** {@code Aᵀ·B}: ∂/∂A = B · Gᵀ, ∂/∂B = A · G. */
    static final Rule[] LEFT_TRANSPOSED = {
        Rule.of("A", Formula.times(B, new Formula.Transpose(G)), (g, o, n, i) -> product(n.inputs[1], g, false, true)),
        Rule.of("B", Formula.times(A, G), (g, o, n, i) -> product(n.inputs[0], g, false, false))};

    static Tensor product(Tensor a, Tensor b, boolean ta, boolean tb) {
        Checks.notNull(a, "matmul", "left operand");
        Checks.notNull(b, "matmul", "right operand");
        Checks.argument(!(ta && tb), "matmul: Aᵀ·Bᵀ is not a form of the product");
        Shape sa = ta ? a.shape().transposed() : a.shape(), sb = tb ? b.shape().transposed() : b.shape();
        if (sa.cols() != sb.rows()) { // the message (and its boxed sizes) only on failure
            Checks.argument(false, "matmul: shapes %s and %s cannot be multiplied (%d != %d)%s",
                    sa, sb, sa.cols(), sb.rows(),
                    sa.expandsTo(sb) || sb.expandsTo(sa) ? "; hint: for an elementwise product use mul()" : "");
        }
        Shape out = Shape.of("matmul", sa.rows(), sb.cols());
        double[] c = SpareArrays.take(out.size()); // Gemm writes every element
        Gemm.multiply(ta, tb, a.data(), a.rows(), a.cols(), b.data(), b.rows(), b.cols(), c);
        Primitive p = ta ? Primitive.MATMUL_LEFT_TRANSPOSED : tb ? Primitive.MATMUL_RIGHT_TRANSPOSED : Primitive.MATMUL;
        return Recorder.record(p, Attrs.NONE, out, c, a, b);
    }
}
