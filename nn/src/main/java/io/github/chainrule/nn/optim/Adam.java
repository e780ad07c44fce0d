package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import java.util.Map;

/**
 * Adam with bias correction, exactly as the course's {@code update_parameters_with_adam}
 * (and in the same order of floating-point operations, so results match numpy bit for bit up
 * to {@code pow}):
 *
 * <pre>
 *   t ← t + 1
 *   v ← β₁·v + (1 − β₁)·g          v̂ = v / (1 − β₁ᵗ)
 *   s ← β₂·s + (1 − β₂)·g²         ŝ = s / (1 − β₂ᵗ)
 *   θ ← θ − α·v̂ / (√ŝ + ε)
 * </pre>
 *
 * {@code v} and {@code s} start at zeros with {@code θ}'s shape; {@code t} is counted per
 * parameter: the updates that parameter received (one per {@link #step()} in which it had a
 * gradient), so a parameter that joins training late gets its own bias correction from
 * {@code t = 1}. When every parameter has a gradient at every step, as in the course, each
 * {@code t} equals the number of steps. Defaults are the course's: {@code β₁ = 0.9, β₂ = 0.999,
 * ε = 1e-8}.
 */
public final class Adam extends ParameterOptimizer {
    /** Default {@code β₁}. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Default {@code β₂}. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default {@code ε}. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[][] v;
    private final double[][] s;

    /**
     * @throws IllegalArgumentException if {@code α ≤ 0}, {@code β₁} or {@code β₂} is outside
     *                                  {@code [0, 1)}, or {@code ε ≤ 0}
     */
    public Adam(Map<String, Tensor> parameters, double learningRate, double beta1, double beta2, double epsilon) {
        super("Adam", parameters, learningRate);
        checkUnitInterval("Adam", "beta1", beta1);
        checkUnitInterval("Adam", "beta2", beta2);
        checkEpsilon("Adam", epsilon);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.v = new double[parameterCount()][];
        this.s = new double[parameterCount()][];
    }

    /** Adam with the course's {@code β₁ = 0.9, β₂ = 0.999, ε = 1e-8}. */
    public Adam(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /** Adam over all of {@code model}'s parameters. */
    public Adam(Module model, double learningRate, double beta1, double beta2, double epsilon) {
        this(parametersOf("Adam", model), learningRate, beta1, beta2, epsilon);
    }

    /** Adam over all of {@code model}'s parameters with the course's defaults. */
    public Adam(Module model, double learningRate) {
        this(model, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /** A copy of the first moment {@code v} of parameter {@code index}, or {@code null} before its first update. */
    public double[] firstMoment(int index) {
        checkIndex(index);
        return v[index] == null ? null : v[index].clone();
    }

    /** A copy of the second moment {@code s} of parameter {@code index}, or {@code null} before its first update. */
    public double[] secondMoment(int index) {
        checkIndex(index);
        return s[index] == null ? null : s[index].clone();
    }

    private void checkIndex(int index) {
        Checks.argument(index >= 0 && index < v.length, "Adam: parameter index %d outside [0, %d)", index, v.length);
    }

    @Override
    protected void update(int index, Tensor parameter, Tensor gradient, long t) {
        double[] g = gradient.toRowMajorArray();
        if (v[index] == null) {
            v[index] = new double[g.length];
            s[index] = new double[g.length];
        }
        double[] vi = v[index], si = s[index];
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t), lr = learningRate();
        double[] delta = new double[g.length];
        for (int k = 0; k < g.length; k++) {
            vi[k] = beta1 * vi[k] + (1 - beta1) * g[k];
            si[k] = beta2 * si[k] + (1 - beta2) * (g[k] * g[k]);
            double vHat = vi[k] / c1, sHat = si[k] / c2;
            delta[k] = lr * vHat / (Math.sqrt(sHat) + epsilon);
        }
        parameter.addInPlace(Tensor.fromRowMajor(parameter.rows(), parameter.cols(), delta), -1);
    }
}
