package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GemmBackends;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Run in a JVM of its own whose common ForkJoin pool has no threads
 * ({@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}, see the module's pom). Tasks
 * given to such a pool run only when joined, so a split product's helpers would wait there,
 * holding its operands, and a parallel stream joining its own tasks behind them hung. Products
 * are then not split, and still right.
 */
class NoPoolThreadsTest {
    @Test
    void productsAreNotSplitAndAParallelStreamOfThemFinishes() {
        assertEquals("0", System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism"),
                "this test runs with a common pool of no threads");
        assertEquals(0, ForkJoinPool.commonPool().getPoolSize());
        OpenBlasBackend ob = (OpenBlasBackend) GemmBackends.get(OpenBlasBackend.NAME);
        int before = ob.threads();
        long splits = OpenBlasBackend.SPLIT_PRODUCTS.sum();
        ob.threads(4);
        try {
            double worst = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> IntStream.range(0, 24).parallel()
                    .mapToDouble(i -> worstError(ob, new Random(i), 128 + i, 200, 170)).max().orElseThrow());
            assertTrue(worst <= 1e-12, "worst relative error " + worst);
        } finally {
            ob.threads(before);
        }
        assertEquals(splits, OpenBlasBackend.SPLIT_PRODUCTS.sum(), "a product was split");
    }

    /** The largest error of an m×k · k×n product of 2²² or more multiply-adds against a naive loop, relative to Σ|a·b|. */
    private static double worstError(OpenBlasBackend ob, Random r, int m, int n, int k) {
        assertTrue((long) m * n * k >= OpenBlasBackend.SPLIT_MIN_WORK);
        double[] a = r.doubles((long) m * k, -1, 1).toArray(), b = r.doubles((long) k * n, -1, 1).toArray();
        double[] c = new double[m * n];
        ob.multiply(false, false, a, m, k, b, k, n, c);
        double worst = 0;
        for (int i = 0; i < m; i += 5) {
            for (int j = 0; j < n; j++) {
                double sum = 0, bound = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                    bound += Math.abs(a[i * k + p] * b[p * n + j]);
                }
                worst = Math.max(worst, Math.abs(c[i * n + j] - sum) / bound);
            }
        }
        return worst;
    }
}
