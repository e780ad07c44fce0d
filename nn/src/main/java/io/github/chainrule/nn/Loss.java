package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Tensor;

/**
 * A cost: the mean over the {@code m} examples (columns) of a per-example loss, as a (1, 1)
 * tensor. {@code output} is what the model's last layer produced, {@code labels} the targets.
 */
@FunctionalInterface
public interface Loss {
    Tensor cost(Tensor output, Tensor labels);
}
