package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradCheckTest {

    @Test
    void courseOneDimensionalCheck() {
        // the course: J = θx with x = 2, θ = 4, ε = 1e-7 gives difference 2.919335883291695e-10
        GradCheckReport r = GradCheck.defaults().epsilon(1e-7)
                .check(xs -> xs.get(0).mul(2.0), Tensor.scalar(4).named("theta"));
        assertEquals(2.919335883291695e-10, r.inputs().get(0).difference(), 1e-22);
        assertTrue(r.passed());
    }

    @Test
    void detectsAWrongGradient() {
        // x·detach(x) has true derivative 2x but the graph only sees x
        Tensor x = Tensor.row(1, 2, 3);
        GradCheckReport r = GradCheck.of(xs -> xs.get(0).mul(xs.get(0).detach()).sum(), x);
        assertFalse(r.passed());
        GradCheckReport.InputReport in = r.inputs().get(0);
        assertEquals(3.0, in.maxAbsError(), 1e-6);
        assertEquals("(0, 2)", in.worst());
        // ‖x − 2x‖ / (‖x‖ + ‖2x‖) = 1/3
        assertEquals(1.0 / 3, in.difference(), 1e-9);
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("FAIL input 0"), e.getMessage());
    }

    @Test
    void checksEveryJacobianEntryOfMatrixOutputs() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, -1}}), b = Tensor.of(new double[][] {{0.5}, {-2}});
        GradCheckReport r = GradCheck.of(xs -> xs.get(0).matmul(xs.get(1)).tanh(), a, b);
        assertTrue(r.passed(), r.toString());
        assertEquals("full", r.mode());
    }

    @Test
    void randomDirectionsForLargeInputs() {
        NumpyRandom rng = new NumpyRandom(0);
        Tensor w = Tensor.randn(40, 30, rng), x = Tensor.randn(30, 50, rng);
        GradCheckReport r = GradCheck.defaults().directions(5, 7)
                .check(xs -> xs.get(0).matmul(xs.get(1)).sigmoid().mean(), w, x);
        assertTrue(r.passed(), r.toString());
        assertEquals("5 random directions", r.mode());
    }

    @Test
    void randomDirectionsCatchAWrongGradient() {
        Tensor x = Tensor.randn(20, 10, new NumpyRandom(3));
        GradCheckReport r = GradCheck.defaults().directions(3, 1)
                .check(xs -> xs.get(0).mul(xs.get(0).detach()).sum(), x);
        assertFalse(r.passed(), r.toString());
        // along any direction u, ⟨x, u⟩ against ⟨2x, u⟩: the difference is 1/3, as in the full check
        assertEquals(1.0 / 3, r.difference(), 1e-6);
    }

    @Test
    void leavesTheCallersTensorsAlone() {
        Tensor x = Tensor.row(1, 2).requiringGrad();
        GradCheck.of(xs -> xs.get(0).exp().sum(), x);
        assertFalse(x.hasGrad());
        assertEquals(1, x.get(0, 0));
    }

    @Test
    void comparesHandWrittenGradients() {
        Tensor w = Tensor.row(1, -2);
        java.util.function.Function<java.util.List<Tensor>, Tensor> f = xs -> xs.get(0).pow(2).sum();
        assertTrue(GradCheck.of(f, w).passed());
        assertTrue(GradCheck.defaults().compare(f, java.util.List.of(Tensor.row(2, -4)), w).passed());
        GradCheckReport wrong = GradCheck.defaults().compare(f, java.util.List.of(Tensor.row(2, 4)), w);
        assertFalse(wrong.passed());
        // ‖(2, 4) − (2, −4)‖ / (‖(2, 4)‖ + ‖(2, −4)‖) = 8 / (2·√20)
        assertEquals(8 / (2 * Math.sqrt(20)), wrong.difference(), 1e-9);
        assertEquals("GradCheck: claimed gradient 0 has shape (2, 1) but input 0 is (1, 2)",
                assertThrows(IllegalArgumentException.class,
                        () -> GradCheck.defaults().compare(f, java.util.List.of(Tensor.column(2, 4)), w)).getMessage());
        assertEquals("GradCheck: comparing claimed gradients needs a (1, 1) output, got (1, 2)",
                assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults()
                        .compare(xs -> xs.get(0).exp(), java.util.List.of(Tensor.row(2, 4)), w)).getMessage());
    }

    @Test
    void badSettings() {
        assertEquals("GradCheck: epsilon must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().epsilon(0)).getMessage());
        assertEquals("GradCheck: no inputs given",
                assertThrows(IllegalArgumentException.class, () -> GradCheck.of(xs -> xs.get(0))).getMessage());
    }
}
