package io.github.chainrule.autodiff;

/**
 * The backward rule of an operation for one of its inputs: given the upstream gradient
 * {@code g = ∂L/∂out} (the shape of the output) and the output itself, returns
 * {@code ∂L/∂input} (the shape of that input).
 *
 * <p>Rules are written with {@link Tensor} operations, so when the engine runs them with
 * graph recording on ({@code createGraph}) they are differentiable again.
 */
@FunctionalInterface
interface Derivative {
    Tensor apply(Tensor upstream, Tensor out);
}
