package io.github.chainrule.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.testing.TinyModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer's steps against numbers computed here with plain doubles (following the
 * course's formulas) and against numpy literals computed with the course's code.
 */
class OptimizersTest {
    static final double[] THETA0 = {1.0, -2.0, 0.5, 3.0};
    static final double[][] GRADS = {{0.1, -0.2, 0.3, 0.0}, {-0.5, 0.4, 0.2, 1.0}, {0.05, 0.05, -0.3, 2.0}};
    static final double LR = 0.01;

    /** Runs three steps, setting the gradient by a backward pass of Σ g∘θ (so ∂/∂θ = g exactly). */
    static double[] run(Function<Map<String, Tensor>, ParameterOptimizer> make) {
        Tensor theta = Tensor.fromRowMajor(2, 2, THETA0).requiringGrad();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("theta", theta);
        ParameterOptimizer opt = make.apply(params);
        for (double[] g : GRADS) {
            opt.zeroGrad();
            theta.mul(Tensor.fromRowMajor(2, 2, g)).sum().backward();
            opt.step();
        }
        assertEquals(3, opt.steps());
        return theta.toRowMajorArray();
    }

    @Test
    void adamCorrectsTheBiasByEachParametersOwnStepCount() {
        // θ1 gets a gradient from step 1, θ2 only from step 3: θ2's first update must be Adam's first step,
        // v̂ = g, ŝ = g², so θ2 moves by lr · g / (|g| + ε) ≈ lr, not by a tenth of that
        Tensor theta1 = Tensor.scalar(1).requiringGrad(), theta2 = Tensor.scalar(1).requiringGrad();
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("theta1", theta1);
        params.put("theta2", theta2);
        Adam adam = new Adam(params, 0.1, 0.9, 0.999, 1e-8);
        for (int step = 1; step <= 3; step++) {
            adam.zeroGrad();
            Tensor cost = step < 3 ? theta1.mul(2.0) : theta1.mul(2.0).add(theta2.mul(0.5));
            cost.backward();
            adam.step();
        }
        assertEquals(1 - 0.1 * 0.5 / (0.5 + 1e-8), theta2.item(), 1e-15);
    }

    @Test
    void gradientDescentSubtractsLearningRateTimesGradient() {
        double[] expected = THETA0.clone();
        for (double[] g : GRADS) {
            for (int k = 0; k < 4; k++) {
                expected[k] = expected[k] - LR * g[k];
            }
        }
        assertArrayEquals(expected, run(p -> new GradientDescent(p, LR)), 0);
    }

    @Test
    void momentumMatchesHandComputedAndNumpy() {
        double beta = 0.9;
        double[] theta = THETA0.clone(), v = new double[4];
        for (double[] g : GRADS) {
            for (int k = 0; k < 4; k++) {
                v[k] = beta * v[k] + (1 - beta) * g[k];
                theta[k] = theta[k] - LR * v[k];
            }
        }
        double[] actual = run(p -> new Momentum(p, LR, beta));
        assertArrayEquals(theta, actual, 0);
        // numpy, the course's update_parameters_with_momentum, 3 steps:
        // v = 0.9*v + 0.1*g; th = th - 0.01*v
        assertArrayEquals(new double[] {1.000629, -2.000268, 0.49910699999999997, 2.9961}, actual, 1e-15);
    }

    @Test
    void momentumFirstStepIsTenthOfGradient() {
        // v1 = (1 − β) g, so θ1 = θ0 − α·0.1·g: a hand check of the first step
        Tensor theta = Tensor.scalar(1).requiringGrad();
        Momentum m = new Momentum(Map.of("t", theta), 0.5);
        theta.mul(4).sum().backward();
        m.step();
        assertEquals(1 - 0.5 * 0.1 * 4, theta.item(), 1e-15);
        assertArrayEquals(new double[] {0.4}, m.velocity(0), 1e-15);
    }

    @Test
    void rmsPropMatchesHandComputedAndNumpy() {
        double beta = 0.9, eps = 1e-8;
        double[] theta = THETA0.clone(), s = new double[4];
        for (double[] g : GRADS) {
            for (int k = 0; k < 4; k++) {
                s[k] = beta * s[k] + (1 - beta) * g[k] * g[k];
                theta[k] = theta[k] - LR * g[k] / (Math.sqrt(s[k]) + eps);
            }
        }
        double[] actual = run(p -> new RMSProp(p, LR, beta, eps));
        assertArrayEquals(theta, actual, 1e-15);
        // numpy: s = 0.9*s + 0.1*g**2; th = th - 0.01*g/(np.sqrt(s)+1e-8), 3 steps
        assertArrayEquals(new double[] {0.9961882354547388, -2.000686874454556, 0.47146719018500377, 2.939805796235051},
                actual, 1e-15);
    }

    @Test
    void adamMatchesHandComputedAndNumpyWithBiasCorrection() {
        double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] theta = THETA0.clone(), v = new double[4], s = new double[4];
        int t = 0;
        for (double[] g : GRADS) {
            t++;
            for (int k = 0; k < 4; k++) {
                v[k] = b1 * v[k] + (1 - b1) * g[k];
                s[k] = b2 * s[k] + (1 - b2) * g[k] * g[k];
                double vHat = v[k] / (1 - Math.pow(b1, t)), sHat = s[k] / (1 - Math.pow(b2, t));
                theta[k] = theta[k] - LR * vHat / (Math.sqrt(sHat) + eps);
            }
        }
        double[] actual = run(p -> new Adam(p, LR));
        assertArrayEquals(theta, actual, 1e-15);
        // numpy, the course's update_parameters_with_adam (v_corrected = v/(1-np.power(beta1,t)), ...), 3 steps
        assertArrayEquals(new double[] {0.9999629979085107, -1.9971836960178586, 0.47862043674770044,
                2.984272905647037}, actual, 1e-15);
    }

    @Test
    void adamFirstStepMovesEachCoordinateByAboutTheLearningRate() {
        // t = 1: v̂ = g, ŝ = g², so the step is α·g/(|g| + ε) ≈ α·sign(g): the bias correction at work
        Tensor theta = Tensor.row(0, 0).requiringGrad();
        Adam adam = new Adam(Map.of("t", theta), 0.1);
        theta.mul(Tensor.row(3, -0.002)).sum().backward();
        adam.step();
        assertArrayEquals(new double[] {-0.1 * 3 / (3 + 1e-8), 0.1 * 0.002 / (0.002 + 1e-8)},
                theta.toRowMajorArray(), 1e-15);
    }

    @Test
    void updatesBumpVersionsAndSkipParametersWithoutGradient() {
        var model = new TinyModels.TwoLayer();
        var opt = new GradientDescent(model, 0.1);
        Tensor w = model.hidden1.w, b = model.output.b;
        model.hidden1.w.sum().backward(); // only hidden1.W gets a gradient
        int wv = w.version(), bv = b.version();
        double b0 = b.item();
        opt.step();
        assertEquals(wv + 1, w.version());
        assertEquals(bv, b.version());
        assertEquals(b0, b.item());
        assertEquals(0.1 - 0.1, w.get(0, 0), 1e-15);
        opt.zeroGrad();
        assertTrue(!w.hasGrad());
        assertEquals(java.util.List.of("hidden1.W", "hidden1.b", "output.W", "output.b"),
                java.util.List.copyOf(opt.parameters().keySet()));
    }

    @Test
    void stateIsNullBeforeTheFirstStep() {
        var adam = new Adam(new TinyModels.LogisticRegression(2), 0.1);
        assertNull(adam.firstMoment(0));
        assertNull(adam.secondMoment(1));
    }

    @Test
    void badHyperparametersGiveClearErrors() {
        var model = new TinyModels.LogisticRegression(2);
        assertEquals("GradientDescent: learning rate must be a positive finite number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new GradientDescent(model, 0)).getMessage());
        assertEquals("Adam: learning rate must be a positive finite number, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Adam(model, -0.1)).getMessage());
        assertEquals("Momentum: learning rate must be a positive finite number, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(model, Double.NaN)).getMessage());
        assertEquals("Momentum: beta must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(model, 0.1, 1)).getMessage());
        assertEquals("Adam: beta2 must be in [0, 1), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new Adam(model, 0.1, 0.9, -0.5, 1e-8)).getMessage());
        assertEquals("RMSProp: epsilon must be a positive finite number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new RMSProp(model, 0.1, 0.9, 0)).getMessage());
        var gd = new GradientDescent(model, 0.1);
        assertEquals("GradientDescent: learning rate must be a positive finite number, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> gd.setLearningRate(-1)).getMessage());
        assertEquals(0.1, gd.learningRate());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of(), 0.1)).getMessage()
                .startsWith("Adam: no parameters to optimize"));
        Tensor computed = Tensor.scalar(1).requiringGrad().mul(2);
        assertEquals("Adam: parameter \"x\" (1, 1) is the result of mul; only leaves can be updated",
                assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("x", computed), 0.1)).getMessage());
    }
}
