package io.github.chainrule.autodiff;

/**
 * The micro-kernels of {@link Gemm}: four accumulator rows {@code c0..c3} += two packed panel
 * rows {@code x, y} scaled by scalars of op(A), over the first {@code len} elements.
 *
 * <p>Each is a separate, branch-free method with one loop of variable trip count over arrays
 * indexed from 0, because that is the shape HotSpot's C2 (JDK 17) vectorizes. Measured here
 * (AVX-512, JDK 17): this loop ran at 32 GFLOP/s in L1; the same loop writing four rows of one
 * array ({@code c[c0 + j]}, {@code c[c0 + n + j]}, ...) or reading both panel rows from one array
 * at two offsets stayed scalar at 9–10 GFLOP/s, and so did 6 rows × 2 steps or 4 rows × 3 or 4
 * steps (11–16 GFLOP/s against 34 for this shape, len 128). Earlier measurements found an
 * {@code if} inside also fell to scalar speed. The multiply-add variant does vectorize
 * (with {@code -Dchainrule.gemm.fma=false}, 256³ reached 24 GFLOP/s at best). The benchmark
 * ({@code examples/.../bench/Benchmark}) reports the kernel's GFLOP/s, so such a regression shows.
 */
final class GemmKernel {
    private GemmKernel() {
    }

    static void fma4x2(double[] c0, double[] c1, double[] c2, double[] c3, double[] x, double[] y, int len,
            double a00, double a01, double a10, double a11, double a20, double a21, double a30, double a31) {
        for (int j = 0; j < len; j++) {
            double u = x[j], v = y[j];
            c0[j] = Math.fma(a01, v, Math.fma(a00, u, c0[j]));
            c1[j] = Math.fma(a11, v, Math.fma(a10, u, c1[j]));
            c2[j] = Math.fma(a21, v, Math.fma(a20, u, c2[j]));
            c3[j] = Math.fma(a31, v, Math.fma(a30, u, c3[j]));
        }
    }

    /** The same without fused multiply-add, for CPUs without FMA (where Math.fma is very slow). */
    static void mulAdd4x2(double[] c0, double[] c1, double[] c2, double[] c3, double[] x, double[] y, int len,
            double a00, double a01, double a10, double a11, double a20, double a21, double a30, double a31) {
        for (int j = 0; j < len; j++) {
            double u = x[j], v = y[j];
            c0[j] = c0[j] + a00 * u + a01 * v;
            c1[j] = c1[j] + a10 * u + a11 * v;
            c2[j] = c2[j] + a20 * u + a21 * v;
            c3[j] = c3[j] + a30 * u + a31 * v;
        }
    }
}
