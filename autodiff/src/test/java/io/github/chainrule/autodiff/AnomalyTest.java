package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnomalyTest {

    @Test
    void offByDefault() {
        assertFalse(Anomaly.isEnabled());
        Tensor x = Tensor.column(0, 1).requiringGrad();
        assertEquals(Double.NEGATIVE_INFINITY, x.log().get(0, 0));
    }

    @Test
    void forwardNonFiniteNamesTheOpShapesAndUserLine() {
        Tensor x = Tensor.column(1, 0).requiringGrad();
        try (Grad.Scope s = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.log());
            String m = e.getMessage();
            assertTrue(m.startsWith("anomaly: log produced -Infinity at (1, 0) in its forward value (2, 1) from"
                    + " inputs (2, 1); created at io.github.chainrule.autodiff.AnomalyTest"), m);
            assertTrue(m.contains("AnomalyTest.java:"), m);
        }
        assertFalse(Anomaly.isEnabled());
    }

    @Test
    void theUserLineSkipsJdkCallbacks() {
        Tensor x = Tensor.column(0).requiringGrad();
        try (Grad.Scope s = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> java.util.List.of(x).forEach(Tensor::log));
            assertTrue(e.getMessage().contains("created at io.github.chainrule.autodiff.AnomalyTest"), e.getMessage());
        }
    }

    @Test
    void backwardNonFiniteNamesTheOpAndRule() {
        Tensor x = Tensor.column(4, 0).named("x").requiringGrad();
        try (Grad.Scope s = Anomaly.detect()) {
            Tensor y = x.sqrt().sum();
            AnomalyException e = assertThrows(AnomalyException.class, y::backward);
            String m = e.getMessage();
            assertTrue(m.startsWith("anomaly: backward of sqrt produced Infinity at (1, 0) in the gradient for input 0"
                    + " \"x\" (rule ∂/∂x = g / (2·√x)); inputs (2, 1); created at"), m);
            assertTrue(m.contains("AnomalyTest.java:"), m);
        }
    }
}
