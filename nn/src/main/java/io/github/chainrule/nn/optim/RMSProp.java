package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import java.util.Map;

/**
 * RMSProp as in the course's lecture ("root mean square prop"): an exponentially weighted
 * average of the squared gradients scales each coordinate's step, without bias correction:
 *
 * <pre>
 *   s ← β·s + (1 − β)·g²        (elementwise; s starts at zeros)
 *   θ ← θ − α·g / (√s + ε)
 * </pre>
 *
 * Defaults: {@code β = 0.9} (Hinton's lecture, Keras), {@code ε = 1e-8} (the course's Adam ε).
 */
public final class RMSProp extends ParameterOptimizer {
    /** Default {@code β}. */
    public static final double DEFAULT_BETA = 0.9;
    /** Default {@code ε}. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta;
    private final double epsilon;
    private final double[][] s;

    /**
     * @throws IllegalArgumentException if {@code α ≤ 0}, {@code β} is outside {@code [0, 1)} or {@code ε ≤ 0}
     */
    public RMSProp(Map<String, Tensor> parameters, double learningRate, double beta, double epsilon) {
        super("RMSProp", parameters, learningRate);
        checkUnitInterval("RMSProp", "beta", beta);
        checkEpsilon("RMSProp", epsilon);
        this.beta = beta;
        this.epsilon = epsilon;
        this.s = new double[parameterCount()][];
    }

    /** RMSProp with {@code β = 0.9, ε = 1e-8}. */
    public RMSProp(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, DEFAULT_BETA, DEFAULT_EPSILON);
    }

    /** RMSProp over all of {@code model}'s parameters. */
    public RMSProp(Module model, double learningRate, double beta, double epsilon) {
        this(parametersOf("RMSProp", model), learningRate, beta, epsilon);
    }

    /** RMSProp over all of {@code model}'s parameters with {@code β = 0.9, ε = 1e-8}. */
    public RMSProp(Module model, double learningRate) {
        this(model, learningRate, DEFAULT_BETA, DEFAULT_EPSILON);
    }

    /** A copy of {@code s} for parameter {@code index} (row-major), or {@code null} before its first update. */
    public double[] squareAverage(int index) {
        Checks.argument(index >= 0 && index < s.length, "RMSProp: parameter index %d outside [0, %d)", index,
                s.length);
        return s[index] == null ? null : s[index].clone();
    }

    @Override
    protected void update(int index, Tensor parameter, Tensor gradient, long step) {
        double[] g = gradient.toRowMajorArray();
        double[] si = s[index] == null ? (s[index] = new double[g.length]) : s[index];
        double lr = learningRate();
        double[] delta = new double[g.length];
        for (int k = 0; k < g.length; k++) {
            si[k] = beta * si[k] + (1 - beta) * (g[k] * g[k]);
            delta[k] = lr * g[k] / (Math.sqrt(si[k]) + epsilon);
        }
        parameter.addInPlace(Tensor.fromRowMajor(parameter.rows(), parameter.cols(), delta), -1);
    }
}
