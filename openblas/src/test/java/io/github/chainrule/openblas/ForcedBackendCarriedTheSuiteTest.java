package io.github.chainrule.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GemmBackends;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last in the forced-OpenBLAS test run (classes are ordered by {@link Order}; see the module's
 * pom): by then autodiff's gradient property tests have run, and with
 * {@code -Dchainrule.openblas.minWork=0} each of their products must have gone through OpenBLAS.
 * Fails when the backend was not in use (forcing ignored, or products bypassing it).
 */
@Order(Integer.MAX_VALUE)
class ForcedBackendCarriedTheSuiteTest {
    @Test
    void theGradientTestsRanOnOpenBlas() {
        assertEquals(OpenBlasBackend.NAME, GemmBackends.current().name());
        assertEquals("0", System.getProperty(OpenBlasBackend.MIN_WORK_PROPERTY), "every product goes native here");
        long calls = OpenBlasBackend.CALLS.sum();
        assertTrue(calls > 10_000, "only " + calls + " products went through OpenBLAS during the suite");
    }
}
