package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import java.util.Map;

/**
 * Plain (mini-batch) gradient descent: {@code θ ← θ − α·g} for every parameter {@code θ} with
 * gradient {@code g = ∂J/∂θ}, as the course's {@code update_parameters_with_gd}.
 */
public final class GradientDescent extends ParameterOptimizer {

    /** Gradient descent over {@code parameters} with learning rate {@code α > 0}. */
    public GradientDescent(Map<String, Tensor> parameters, double learningRate) {
        super("GradientDescent", parameters, learningRate);
    }

    /** Gradient descent over all of {@code model}'s parameters. */
    public GradientDescent(Module model, double learningRate) {
        this(parametersOf("GradientDescent", model), learningRate);
    }

    @Override
    protected void update(int index, Tensor parameter, Tensor gradient, long step) {
        // θ + (−α)·g rounds exactly like numpy's θ − α·g: negation is exact
        parameter.addInPlace(gradient, -learningRate());
    }

    /** The same update without handing the gradient out, so that its storage is reused after {@code zeroGrad()}. */
    @Override
    protected void update(int index, Tensor parameter, long step) {
        parameter.addGradInPlace(-learningRate());
    }
}
