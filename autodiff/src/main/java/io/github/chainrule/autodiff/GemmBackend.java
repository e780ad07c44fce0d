package io.github.chainrule.autodiff;

/**
 * A matrix-multiply implementation: every product chainrule computes ({@link Tensor#matmul} and
 * every gradient of it) ends in one call
 * <pre>
 *   C = op(A) · op(B),   op(X) = X or Xᵀ,
 *   C(i, j) = Σ_p op(A)(i, p) · op(B)(p, j),   i &lt; m, j &lt; n, p &lt; k,
 * </pre>
 * on dense row-major {@code double[]} arrays. Shapes: A is {@code aRows × aCols}
 * ({@code op(A)} is {@code m × k}: {@code m = ta ? aCols : aRows}, {@code k = ta ? aRows : aCols});
 * B is {@code bRows × bCols} ({@code op(B)} is {@code k × n}); C is {@code m × n} and is
 * overwritten (never accumulated into). Element {@code (r, s)} of an {@code R × S} matrix is at
 * index {@code r·S + s}. Transposes are flags, never copies made by the caller: the weight gradient
 * {@code dW = dZ·Aᵀ} is {@code multiply(false, true, dZ, ..., A, ..., dW)}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/io.github.chainrule.autodiff.GemmBackend}) and chosen by
 * {@link GemmBackends}; the pure-Java one ({@code "java"}) is built in and always present. A
 * provider whose constructor throws (no native library for this OS or CPU, say) is skipped.
 * Implementations must be thread-safe: products run concurrently on any threads.
 */
public interface GemmBackend {
    /**
     * The short name used to choose this backend ({@code -Dchainrule.gemm=NAME},
     * {@link GemmBackends#use(String)}): lower case, no spaces, e.g. {@code "java"}, {@code "openblas"}.
     *
     * @return the backend's name
     */
    String name();

    /**
     * A one-line description for logs and benchmark headers: the library and its version, the
     * threads it uses, the CPU kernel it picked.
     *
     * @return the description; {@link #name()} by default
     */
    default String description() {
        return name();
    }

    /**
     * {@code C = op(A)·op(B)} as described on the type, with the shapes given by the row and column
     * counts of the arrays as stored (before the transposes).
     *
     * @param ta whether op(A) = Aᵀ
     * @param tb whether op(B) = Bᵀ
     * @param a A, row-major, at least {@code aRows·aCols} elements
     * @param aRows rows of A as stored
     * @param aCols columns of A as stored
     * @param b B, row-major, at least {@code bRows·bCols} elements
     * @param bRows rows of B as stored
     * @param bCols columns of B as stored
     * @param c the output, {@code m × n}, at least {@code m·n} elements; overwritten
     * @throws IllegalArgumentException when the inner dimensions differ or an array is too short
     */
    void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c);

    /**
     * Whether this backend should compute an {@code (m × k)·(k × n)} product, or leave it to the
     * pure-Java kernel, which is faster for small products (a native call has a fixed cost, and
     * the operands are copied). Consulted by chainrule for every product when this backend is the
     * current one; not consulted when {@link #multiply} is called directly.
     *
     * @param m rows of C
     * @param n columns of C
     * @param k the inner dimension
     * @return true (every product) by default
     */
    default boolean prefers(int m, int n, int k) {
        return true;
    }
}
