package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * relu and leakyRelu, computed without conditionals so that their loops vectorize, give exactly
 * what the definitions {@code x > 0 ? x : alpha·x} and {@code g · (x > 0 ? 1 : alpha)} give, on
 * the values where branch-free forms usually slip: signed zeros, subnormals, infinities, NaN, and
 * slopes below 0, between 0 and 1, and above 1. relu itself follows numpy's {@code maximum(Z, 0)}:
 * +0 for negative inputs.
 */
class ReluKernelTest {
    private static final double[] X = {-3.5, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 2.5e-310, 1e-300, 0.7,
        4.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -Double.MAX_VALUE, Double.MAX_VALUE};

    @Test
    void valuesAndGradientsMatchTheDefinitions() {
        for (double alpha : new double[] {0.0, 0.01, 0.5, 1.0, 1.5, -0.2}) {
            Tensor x = Tensor.row(X).requiringGrad();
            Tensor g = Tensor.row(upstream());
            Tensor y = alpha == 0 ? x.relu() : x.leakyRelu(alpha);
            y.backward(g);
            for (int i = 0; i < X.length; i++) {
                double v = X[i];
                double want = alpha == 0 ? Math.max(v, 0.0) : v > 0 ? v : alpha * v;
                double slope = v > 0 ? 1.0 : alpha;
                assertBits(want, y.get(0, i), "alpha " + alpha + ", value at " + v);
                assertBits(g.get(0, i) * slope, x.grad().get(0, i), "alpha " + alpha + ", gradient at " + v);
            }
        }
    }

    @Test
    void reluOfNegativesIsPositiveZeroAsInNumpy() {
        Tensor y = Tensor.row(-2.0, -0.0, 3.0).relu();
        assertBits(0.0, y.get(0, 0), "relu(-2)");
        assertBits(0.0, y.get(0, 1), "relu(-0)");
        assertBits(3.0, y.get(0, 2), "relu(3)");
    }

    private static double[] upstream() {
        double[] g = new double[X.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = i % 3 == 0 ? -1.25 : i % 3 == 1 ? 0.5 : 3.0;
        }
        return g;
    }

    private static void assertBits(double want, double got, String what) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), what + ": want " + want + ", got " + got);
    }
}
