package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GemmBackends;
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
}
