package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Anomaly;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;

/**
 * Regularized costs. L2 regularization ("weight decay") adds
 * {@code (λ / 2m) Σ_l ‖W[l]‖²_F} to a cost; its gradient adds {@code (λ/m) W[l]} to each
 * {@code dW[l]}, so it belongs in the cost, where backward finds it, not in hand-written updates:
 *
 * <pre>{@code
 * Loss cost = Costs.withL2(Losses.BINARY_CROSS_ENTROPY, model, 0.7);
 * Tensor j = cost.cost(model.forward(x), y);   // cross-entropy + (0.7 / 2m) Σ ‖W[l]‖²
 * j.backward();
 * }</pre>
 *
 * <p>The weights of a model are the parameters its modules registered as weights
 * ({@code Module.registerWeight}): {@link Dense} and {@link Maxout} weights; biases and batch-norm
 * scales are not regularized.
 */
public final class Costs {
    static {
        Anomaly.markLibraryCode(Costs.class);
    }

    private Costs() {
    }

    /**
     * {@code ((1/m)·(λ/2))·Σ_l Σ W[l]²}, {@code (1, 1)}, in the course's order of operations.
     *
     * @throws IllegalArgumentException if {@code λ < 0} or {@code m < 1}
     */
    public static Tensor l2(double lambda, int m, Tensor... weights) {
        Checks.argument(lambda >= 0 && Double.isFinite(lambda), "l2: lambda must be finite and >= 0, got %s", lambda);
        Checks.argument(m >= 1, "l2: m (examples) must be >= 1, got %d", m);
        Checks.notNull(weights, "l2", "weights");
        Checks.argument(weights.length > 0, "l2: no weights given");
        Tensor total = null;
        for (Tensor w : weights) {
            Tensor s = Checks.notNull(w, "l2", "weight").pow(2).sum();
            total = total == null ? s : total.add(s);
        }
        return total.mul((1.0 / m) * (lambda / 2));
    }

    /** {@link #l2(double, int, Tensor...)} over {@code model}'s weights (see {@link #weights}). */
    public static Tensor l2(Module model, double lambda, int m) {
        List<Tensor> w = weights(model);
        Checks.argument(!w.isEmpty(), "l2: %s has no weights (registered with registerWeight) to regularize",
                model.getClass().getSimpleName());
        return l2(lambda, m, w.toArray(new Tensor[0]));
    }

    /** The weights of {@code model} (at any depth, registered with {@code registerWeight}), in registration order. */
    public static List<Tensor> weights(Module model) {
        Checks.notNull(model, "Costs.weights", "model");
        return List.copyOf(model.weights());
    }

    /**
     * {@code base} plus {@code (λ / 2m) Σ ‖W[l]‖²} over {@code model}'s weights, with m the
     * number of columns of the labels. With {@code λ = 0} it is {@code base}.
     */
    public static Loss withL2(Loss base, Module model, double lambda) {
        Checks.notNull(base, "withL2", "base loss");
        Checks.notNull(model, "withL2", "model");
        Checks.argument(lambda >= 0 && Double.isFinite(lambda), "withL2: lambda must be finite and >= 0, got %s",
                lambda);
        if (lambda == 0) {
            return base;
        }
        Checks.argument(!weights(model).isEmpty(), "withL2: %s has no weights (registered with registerWeight) to regularize",
                model.getClass().getSimpleName());
        return (output, labels) -> base.cost(output, labels).add(l2(model, lambda, labels.cols()));
    }
}
