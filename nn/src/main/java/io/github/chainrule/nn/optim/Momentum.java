package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import java.util.Map;

/**
 * Gradient descent with momentum, as the course's {@code update_parameters_with_momentum}
 * (an exponentially weighted average of the gradients, without bias correction):
 *
 * <pre>
 *   v ← β·v + (1 − β)·g        (v starts at zeros, same shape as θ)
 *   θ ← θ − α·v
 * </pre>
 *
 * {@code β = 0} is plain gradient descent; the course uses {@code β = 0.9} (the default).
 */
public final class Momentum extends ParameterOptimizer {
    /** The course's default {@code β}. */
    public static final double DEFAULT_BETA = 0.9;

    private final double beta;
    private final double[][] v;

    /**
     * @param beta {@code β} in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code α ≤ 0} or {@code β} is outside {@code [0, 1)}
     */
    public Momentum(Map<String, Tensor> parameters, double learningRate, double beta) {
        super("Momentum", parameters, learningRate);
        checkUnitInterval("Momentum", "beta", beta);
        this.beta = beta;
        this.v = new double[parameterCount()][];
    }

    /** Momentum with {@code β = 0.9}. */
    public Momentum(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, DEFAULT_BETA);
    }

    /** Momentum over all of {@code model}'s parameters. */
    public Momentum(Module model, double learningRate, double beta) {
        this(parametersOf("Momentum", model), learningRate, beta);
    }

    /** Momentum over all of {@code model}'s parameters with {@code β = 0.9}. */
    public Momentum(Module model, double learningRate) {
        this(model, learningRate, DEFAULT_BETA);
    }

    /** {@code β}. */
    public double beta() {
        return beta;
    }

    /**
     * A copy of the velocity {@code v} of parameter {@code index} (row-major), or {@code null}
     * before its first update.
     */
    public double[] velocity(int index) {
        Checks.argument(index >= 0 && index < v.length, "Momentum: parameter index %d outside [0, %d)", index,
                v.length);
        return v[index] == null ? null : v[index].clone();
    }

    @Override
    protected void update(int index, Tensor parameter, Tensor gradient, long step) {
        double[] g = gradient.toRowMajorArray();
        double[] vi = v[index] == null ? (v[index] = new double[g.length]) : v[index];
        for (int k = 0; k < g.length; k++) {
            vi[k] = beta * vi[k] + (1 - beta) * g[k];
        }
        parameter.addInPlace(Tensor.fromRowMajor(parameter.rows(), parameter.cols(), vi), -learningRate());
    }
}
