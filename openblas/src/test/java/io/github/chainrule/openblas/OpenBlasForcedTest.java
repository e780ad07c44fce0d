package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.chainrule.autodiff.GemmBackends;
import java.util.Random;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Run with {@code -Dchainrule.gemm=openblas} (the module's default test run, which also runs
 * autodiff's gradient property tests and backend tests again, every product through OpenBLAS):
 * the forced backend is the current one, and products really go through it.
 */
class OpenBlasForcedTest {
    @Test
    void theForcedBackendIsCurrent() {
        assertEquals("openblas", System.getProperty(GemmBackends.PROPERTY), "this test runs with openblas forced");
        assertEquals(OpenBlasBackend.NAME, GemmBackends.current().name(), GemmBackends.current().description());
        assertTrue(GemmBackends.current().description().matches("openblas: OpenBLAS 0\\.3\\.\\d+ .*\\d+ threads?, .*"),
                GemmBackends.current().description());
    }

    @Test
    void aMatmulGoesThroughOpenBlas() {
        NumpyRandom rng = new NumpyRandom(3);
        Tensor a = Tensor.randn(64, 48, rng), b = Tensor.randn(48, 32, rng);
        long before = OpenBlasBackend.CALLS.sum();
        double[] native_ = a.matmul(b).toRowMajorArray();
        assertEquals(before + 1, OpenBlasBackend.CALLS.sum(), "one product through OpenBLAS");
        GemmBackends.use("java");
        try {
            assertArrayEquals(a.matmul(b).toRowMajorArray(), native_, 1e-12);
            assertEquals(before + 1, OpenBlasBackend.CALLS.sum(), "with java in use, OpenBLAS is not called");
        } finally {
            GemmBackends.use("openblas");
        }
    }

    /**
     * Products large enough to be split over threads ({@link OpenBlasBackend#SPLIT_MIN_WORK}),
     * in blocks of C's rows and (for C with few rows) of its columns, all transposes, with 1 to 4
     * threads: each against a naive loop; and a pool thread computed some of the blocks.
     */
    @Test
    void splitProductsMatchANaiveLoop() {
        OpenBlasBackend ob = (OpenBlasBackend) GemmBackends.get(OpenBlasBackend.NAME);
        int before = ob.threads();
        Random r = new Random(11);
        int[][] shapes = {{130, 333, 100}, {333, 130, 100}, {64, 1000, 70}, {1000, 64, 70}, {40, 1000, 120},
            {10, 3000, 140}};
        long splitsBefore = OpenBlasBackend.SPLIT_PRODUCTS.sum(), helpedBefore = OpenBlasBackend.BLOCKS_BY_HELPERS.sum();
        try {
            for (int threads = 1; threads <= 4; threads++) {
                ob.threads(threads);
                for (int[] s : shapes) {
                    int m = s[0], n = s[1], k = s[2];
                    assertTrue((long) m * n * k >= OpenBlasBackend.SPLIT_MIN_WORK);
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        double[] a = r.doubles((long) m * k, -1, 1).toArray(), b = r.doubles((long) k * n, -1, 1).toArray();
                        double[] c = new double[m * n];
                        ob.multiply(ta, tb, a, ta ? k : m, ta ? m : k, b, tb ? n : k, tb ? k : n, c);
                        for (int i = 0; i < m; i += m < 64 ? 1 : 7) {
                            for (int j = 0; j < n; j++) {
                                double sum = 0, bound = 0;
                                for (int p = 0; p < k; p++) {
                                    double x = ta ? a[p * m + i] : a[i * k + p], y = tb ? b[j * k + p] : b[p * n + j];
                                    sum += x * y;
                                    bound += Math.abs(x * y);
                                }
                                double got = c[i * n + j];
                                if (!(Math.abs(got - sum) <= 1e-12 * bound)) {
                                    fail("threads " + ob.threads() + " (" + m + "×" + k + ")·(" + k + "×" + n + ") ta="
                                            + ta + " tb=" + tb + " C(" + i + ", " + j + "): " + got + " vs " + sum);
                                }
                            }
                        }
                    }
                }
            }
            assertEquals(3 * shapes.length * 4, OpenBlasBackend.SPLIT_PRODUCTS.sum() - splitsBefore,
                    "products split (threads 2 to 4)");
            assertTrue(OpenBlasBackend.BLOCKS_BY_HELPERS.sum() > helpedBefore, "no block was computed by a pool thread");
        } finally {
            ob.threads(before);
        }
    }

    @Test
    void productsOnPoolThreadsReuseTheirBuffers() throws Exception {
        // common-pool workers lose their thread-locals when idle: buffers kept per thread were made anew for each task
        double[] a = new double[300 * 300], c = new double[300 * 300];
        java.util.Arrays.fill(a, 0.5);
        OpenBlasBackend backend = (OpenBlasBackend) GemmBackends.get(OpenBlasBackend.NAME);
        backend.multiply(false, false, a, 300, 300, a, 300, 300, c);
        int before = OpenBlasBackend.BUFFERS_CREATED.get();
        for (int task = 0; task < 20; task++) {
            java.util.concurrent.ForkJoinPool.commonPool()
                    .submit(() -> backend.multiply(false, false, a, 300, 300, a, 300, 300, c)).get();
            Thread.sleep(2); // lets the worker go idle between tasks
        }
        assertTrue(OpenBlasBackend.BUFFERS_CREATED.get() - before <= 2,
                (OpenBlasBackend.BUFFERS_CREATED.get() - before) + " sets of buffers created for 20 products");
        assertEquals(300 * 0.25, c[0], 1e-12);
    }
}
