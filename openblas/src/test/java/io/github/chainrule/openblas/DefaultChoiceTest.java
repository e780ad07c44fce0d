package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GemmBackends;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Run with nothing forced (a test run of its own, see the module's pom): with this module on the
 * class path OpenBLAS is chosen; small products still take the pure-Java kernel.
 */
class DefaultChoiceTest {
    @Test
    void openBlasIsChosenWhenPresent() {
        assertNull(System.getProperty(GemmBackends.PROPERTY), "this test runs with nothing forced");
        assertEquals(OpenBlasBackend.NAME, GemmBackends.current().name());
        NumpyRandom rng = new NumpyRandom(5);
        long before = OpenBlasBackend.CALLS.sum();
        Tensor small = Tensor.randn(4, 4, rng);
        small.matmul(small);
        assertEquals(before, OpenBlasBackend.CALLS.sum(), "a 4³ product stays on pure Java");
        Tensor w = Tensor.randn(4, 2, rng), x = Tensor.randn(2, 400, rng);
        w.matmul(x);
        assertEquals(before, OpenBlasBackend.CALLS.sum(), "(4×2)·(2×400) stays on pure Java");
        Tensor big = Tensor.randn(32, 32, rng);
        big.matmul(big);
        assertEquals(before + 1, OpenBlasBackend.CALLS.sum(), "a 32³ product goes to OpenBLAS");
        OpenBlasBackend b = (OpenBlasBackend) GemmBackends.current();
        assertEquals(OpenBlasBackend.DEFAULT_MIN_WORK, b.minWork());
        assertTrue(b.threads() >= 1);
    }
}
