package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matrix-multiply kernel against a naive triple loop: random shapes (1 to ~300 per dimension,
 * with 1, 2, 3, odd sizes and sizes straddling the panel edges), all four transpose combinations,
 * both micro-kernels, each path (simple, blocked, two threads). No timing here: the benchmark
 * measures speed.
 */
class GemmTest {
    /** Sizes that matter: tiny, odd, the 4-row group and 2-step edges, and around KC = NC = 256. */
    private static final int[] EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 256, 257,
        300};

    /** C = op(A)·op(B) by the definition, with the bound Σ|op(A)(i,p)·op(B)(p,j)| for each element. */
    static double[][] naive(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, int m,
            int n, int k) {
        double[] c = new double[m * n], bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, t = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * aCols + i] : a[i * aCols + p];
                    double y = tb ? b[j * bCols + p] : b[p * bCols + j];
                    s += x * y;
                    t += Math.abs(x * y);
                }
                c[i * n + j] = s;
                bound[i * n + j] = t;
            }
        }
        return new double[][] {c, bound};
    }

    private static double[] random(Random r, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static int dim(Random r) {
        return r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : 1 + r.nextInt(300);
    }

    @FunctionalInterface
    private interface Kernel {
        void run(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
                double[] c, int m, int n, int k);
    }

    /** Runs {@code kernel} on {@code cases} random shapes and transposes; compares with naive. */
    private static void check(long seed, int cases, Kernel kernel) {
        Random r = new Random(seed);
        for (int t = 0; t < cases; t++) {
            int m = dim(r), n = dim(r), k = dim(r);
            if ((long) m * n * k > 3_000_000) { // keeps the naive loop quick
                k = Math.max(1, (int) (3_000_000L / ((long) m * n)));
            }
            boolean ta = r.nextBoolean(), tb = r.nextBoolean();
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            double[] a = random(r, m * k), b = random(r, k * n);
            double[] c = new double[m * n];
            Arrays.fill(c, Double.NaN); // the kernel overwrites, never accumulates
            kernel.run(ta, tb, a, aRows, aCols, b, bRows, bCols, c, m, n, k);
            double[][] ref = naive(ta, tb, a, aCols, b, bCols, m, n, k);
            for (int e = 0; e < m * n; e++) {
                double err = Math.abs(c[e] - ref[0][e]);
                if (!(err <= 1e-12 * ref[1][e] + Double.MIN_NORMAL)) {
                    fail(String.format("case %d: (%d×%d)·(%d×%d) ta=%b tb=%b: element %d is %s, expected %s",
                            t, m, k, k, n, ta, tb, e, c[e], ref[0][e]));
                }
            }
        }
    }

    @Test
    void twoThreadProductsReuseTheirPackingBuffers() {
        // the common pool's worker loses its thread-locals after every task: its buffers are lent, not per thread
        Random r = new Random(4);
        int m = 256, k = 256, n = 256;
        double[] a = r.doubles((long) m * k).toArray(), b = r.doubles((long) k * n).toArray(), c = new double[m * n];
        for (int i = 0; i < 3; i++) {
            Gemm.multiply(false, false, a, m, k, b, k, n, c, 2);
        }
        int before = Gemm.BUFFERS_CREATED.get();
        for (int i = 0; i < 20; i++) {
            Gemm.multiply(false, false, a, m, k, b, k, n, c, 2);
        }
        assertEquals(before, Gemm.BUFFERS_CREATED.get(), "packing buffers created by steady-state products");
    }

    @Test
    void matchesNaiveOnRandomShapes() {
        check(1, 300, (ta, tb, a, ar, ac, b, br, bc, c, m, n, k) -> Gemm.multiply(ta, tb, a, ar, ac, b, br, bc, c));
    }

    @Test
    void blockedPathsMatchNaiveWithBothMicroKernels() {
        for (boolean fma : new boolean[] {true, false}) {
            check(2, 150, (ta, tb, a, ar, ac, b, br, bc, c, m, n, k) ->
                    Gemm.blocked(ta, tb, a, ac, b, bc, c, n, k, 0, m, 0, n, fma));
            check(7, 150, (ta, tb, a, ar, ac, b, br, bc, c, m, n, k) ->
                    Gemm.blockedSwapped(ta, tb, a, ac, b, bc, c, m, n, k, fma));
        }
    }

    @Test
    void simplePathMatchesNaive() {
        check(3, 100, (ta, tb, a, ar, ac, b, br, bc, c, m, n, k) -> Gemm.simple(ta, tb, a, ac, b, bc, c, m, n, k));
    }

    @Test
    void planarNetShapes() {
        // (4×2)·(2×400) and its gradients: dW = dZ·Xᵀ, dX = Wᵀ·dZ
        Random r = new Random(4);
        double[] w = random(r, 8), x = random(r, 800), dz = random(r, 1600);
        double[] z = new double[1600], dw = new double[8], dx = new double[800];
        Gemm.multiply(false, false, w, 4, 2, x, 2, 400, z);
        Gemm.multiply(false, true, dz, 4, 400, x, 2, 400, dw);
        Gemm.multiply(true, false, w, 4, 2, dz, 4, 400, dx);
        assertArrayEquals(naive(false, false, w, 2, x, 400, 4, 400, 2)[0], z, 1e-12);
        assertArrayEquals(naive(false, true, dz, 400, x, 400, 4, 2, 400)[0], dw, 1e-12);
        assertArrayEquals(naive(true, false, w, 2, dz, 400, 2, 400, 4)[0], dx, 1e-12);
    }

    @Test
    void twoThreadsGiveTheSameBitsAsOne() {
        Random r = new Random(5);
        // above the threshold: chunks along columns, along rows, and two halves along columns
        // (and through the swapped orientation: n < 256 and m > n), all transposes
        int[][] shapes = {{200, 170, 150}, {600, 100, 90}, {129, 257, 255}, {784, 128, 256}, {513, 77, 300},
            {40, 1000, 120}, {1000, 40, 120}, {256, 128, 784}, {100, 200, 300}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            assertEquals(true, (long) m * n * k >= Gemm.PARALLEL, "shape below the two-thread threshold");
            for (int v = 0; v < 4; v++) {
                boolean ta = (v & 1) != 0, tb = (v & 2) != 0;
                double[] a = random(r, m * k), b = random(r, k * n);
                double[] one = new double[m * n], two = new double[m * n];
                Gemm.multiply(ta, tb, a, ta ? k : m, ta ? m : k, b, tb ? n : k, tb ? k : n, one, 1);
                Gemm.multiply(ta, tb, a, ta ? k : m, ta ? m : k, b, tb ? n : k, tb ? k : n, two, 2);
                assertArrayEquals(one, two, 0.0);
            }
        }
    }

    @Test
    void infinitiesPropagateAsInTheNaiveLoop() {
        // an odd depth pads the panel with a zero step: it must not turn an infinity into NaN
        int m = 9, n = 40, k = 33;
        Random r = new Random(6);
        double[] a = random(r, m * k), b = random(r, k * n);
        a[k - 1] = Double.POSITIVE_INFINITY; // row 0, last column
        double[] c = new double[m * n];
        Gemm.blocked(false, false, a, k, b, n, c, n, k, 0, m, 0, n, Gemm.FMA);
        double[] ref = naive(false, false, a, k, b, n, m, n, k)[0];
        for (int e = 0; e < m * n; e++) {
            if (Double.isNaN(ref[e]) || Double.isInfinite(ref[e])) {
                assertEquals(ref[e], c[e], "element " + e);
            }
        }
    }

    @Test
    void emptyDepthGivesZerosAndMismatchedShapesFail() {
        double[] c = {7, 7, 7, 7};
        Gemm.multiply(false, false, new double[0], 2, 0, new double[0], 0, 2, c);
        assertArrayEquals(new double[4], c, 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, new double[6], 2, 3, new double[4], 2, 2, new double[4]));
    }

    @Test
    void fmaDetectionHonoursTheOverrideAndItsFallbackRuns() {
        String old = System.getProperty("chainrule.gemm.fma");
        try {
            System.setProperty("chainrule.gemm.fma", "false");
            assertEquals(false, Fma.detect());
            System.setProperty("chainrule.gemm.fma", "true");
            assertEquals(true, Fma.detect());
        } finally {
            if (old == null) {
                System.clearProperty("chainrule.gemm.fma");
            } else {
                System.setProperty("chainrule.gemm.fma", old);
            }
        }
    }
}
