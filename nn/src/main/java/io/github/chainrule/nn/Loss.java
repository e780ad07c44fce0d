package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Tensor;

/**
 * A cost: the mean over the {@code m} examples (columns) of a per-example loss, as a (1, 1)
 * tensor. {@code output} is what the model's last layer produced, {@code labels} the targets,
 * of the same shape {@code (n, m)}: the losses of {@link Losses} and the fused losses of
 * {@code Tensor} refuse other labels (nothing is broadcast); a custom loss should check with
 * {@link io.github.chainrule.autodiff.Checks#labels Checks.labels(op, "output", output, labels)}.
 */
@FunctionalInterface
public interface Loss {
    /**
     * The cost of {@code output} against {@code labels}, both {@code (n, m)}.
     *
     * @return a {@code (1, 1)} tensor, ready for {@code backward()}
     * @throws IllegalArgumentException if the shapes differ (the library's losses)
     */
    Tensor cost(Tensor output, Tensor labels);
}
