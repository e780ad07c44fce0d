package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import io.github.chainrule.nn.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the built-in optimizers: holds the named parameters, the learning rate {@code α} and
 * the step counter {@code t}, and applies a per-parameter update rule with graph recording off.
 *
 * <p>{@link #step()} increments {@code t} (the first step has {@code t = 1}, as Adam's bias
 * correction in the course expects), then for every parameter {@code θ} that has a gradient
 * {@code g = ∂J/∂θ} (same shape as {@code θ}) calls {@link #update}. Parameters without a
 * gradient (not reached by the last backward pass) are skipped, as in PyTorch; their state is
 * left unchanged.
 *
 * <p>The optimizer owns its state; it modifies the parameters in place (bumping their
 * versions) but never replaces them, so a model keeps the same tensors.
 */
public abstract class ParameterOptimizer implements Optimizer {
    private final String name;
    private final List<String> names;
    private final List<Tensor> parameters;
    private double learningRate;
    private long t;
    /** Per parameter, how many updates it received: bias correction counts a parameter's own steps. */
    private final long[] updates;

    /**
     * @param name         the optimizer's name for error messages ("Adam", ...)
     * @param parameters   the parameters to update, by name (e.g. {@code model.parameters()})
     * @param learningRate {@code α > 0}
     * @throws IllegalArgumentException if there are no parameters or {@code α} is not a positive finite number
     */
    protected ParameterOptimizer(String name, Map<String, Tensor> parameters, double learningRate) {
        this.name = name;
        Checks.notNull(parameters, name, "parameters");
        Checks.argument(!parameters.isEmpty(), "%s: no parameters to optimize; register parameters in the model"
                + " (registerParameter) before creating the optimizer", name);
        this.names = List.copyOf(parameters.keySet());
        this.parameters = new ArrayList<>(parameters.size());
        parameters.forEach((n, p) -> {
            Checks.notNull(p, name, "parameter \"" + n + "\"");
            Checks.argument(p.isLeaf(), "%s: parameter \"%s\" %s is the result of %s; only leaves can be updated",
                    name, n, p.shape(), p.op());
            this.parameters.add(p);
        });
        this.updates = new long[this.parameters.size()];
        setLearningRate(learningRate);
    }

    /** Shorthand for {@code parameters(model)} with the model's parameters. */
    static Map<String, Tensor> parametersOf(String name, Module model) {
        return Checks.notNull(model, name, "model").parameters();
    }

    /**
     * Updates one parameter in place. Called with graph recording off.
     *
     * @param index     the parameter's position (stable across steps; use it to index state)
     * @param parameter {@code θ}, to be changed in place with {@link Tensor#assign} or {@link Tensor#addInPlace}
     * @param gradient  {@code g = ∂J/∂θ}, same shape; do not modify
     * @param step      {@code t}: how many updates this parameter has received, this one included (from 1);
     *                  a parameter that had no gradient in earlier steps was not updated then and does not count them
     */
    protected abstract void update(int index, Tensor parameter, Tensor gradient, long step);

    /**
     * Updates one parameter in place from its own gradient; {@link #step()} calls this. By default
     * {@link #update(int, Tensor, Tensor, long)} with {@code parameter.grad()}. A rule that needs only
     * {@code θ += c·g} may override it with {@link Tensor#addGradInPlace}, which leaves the gradient's
     * storage free for the next backward pass once the gradient is cleared.
     */
    protected void update(int index, Tensor parameter, long step) {
        update(index, parameter, parameter.grad(), step);
    }

    @Override
    public final void step() {
        t++;
        try (var scope = Grad.disabled()) {
            for (int i = 0; i < parameters.size(); i++) {
                Tensor p = parameters.get(i);
                if (p.hasGrad()) {
                    update(i, p, ++updates[i]);
                }
            }
        }
    }

    @Override
    public final void zeroGrad() {
        parameters.forEach(Tensor::zeroGrad);
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    /**
     * @throws IllegalArgumentException unless {@code learningRate} is a positive finite number
     */
    @Override
    public final void setLearningRate(double learningRate) {
        Checks.argument(learningRate > 0 && Double.isFinite(learningRate),
                "%s: learning rate must be a positive finite number, got %s", name, learningRate);
        this.learningRate = learningRate;
    }

    /** The number of {@link #step()} calls so far ({@code t}). */
    public final long steps() {
        return t;
    }

    /** The parameters this optimizer updates, by name, in order. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), parameters.get(i));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Number of parameters. */
    protected final int parameterCount() {
        return parameters.size();
    }

    /** The optimizer's name, e.g. {@code "Adam"}. */
    public final String name() {
        return name;
    }

    static void checkUnitInterval(String op, String what, double value) {
        Checks.argument(value >= 0 && value < 1, "%s: %s must be in [0, 1), got %s", op, what, value);
    }

    static void checkEpsilon(String op, double eps) {
        Checks.argument(eps > 0 && Double.isFinite(eps), "%s: epsilon must be a positive finite number, got %s",
                op, eps);
    }

    @Override
    public String toString() {
        return name + "(learning rate " + learningRate + ", " + parameters.size() + " parameters, t = " + t + ")";
    }
}
