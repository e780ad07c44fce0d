package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GemmBackends;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Run with {@code -Dchainrule.gemm=java} while OpenBLAS is on the class path (a test run of its
 * own, see the module's pom): pure Java is used, and OpenBLAS is not even loaded until asked.
 */
class ForcedJavaTest {
    @Test
    void pureJavaIsUsedAndOpenBlasIsNotCalled() {
        assertEquals("java", System.getProperty(GemmBackends.PROPERTY), "this test runs with java forced");
        assertEquals(GemmBackends.JAVA, GemmBackends.current().name());
        NumpyRandom rng = new NumpyRandom(4);
        Tensor a = Tensor.randn(128, 128, rng);
        a.matmul(a);
        assertEquals(0, OpenBlasBackend.CALLS.sum(), "a 128³ product with java forced");
        assertTrue(GemmBackends.available().contains(OpenBlasBackend.NAME), "OpenBLAS is on the class path");
        assertEquals(GemmBackends.JAVA, GemmBackends.current().name(), "listing the backends changes nothing");
    }
}
