package io.github.chainrule.autodiff;

/**
 * The backward rule of an operation for one of its inputs: given the upstream gradient
 * {@code g = ∂L/∂out} (the shape of the output), the output, the node (its inputs and the call's
 * {@link Attrs}) and which input, returns {@code ∂L/∂input} (the shape of that input).
 *
 * <p>Rules are written with {@link Tensor} operations, so when the engine runs them with
 * graph recording on ({@code createGraph}) they are differentiable again. A rule is a static
 * lambda of its {@link Primitive}: it reads per-call data from the node, never captures it.
 */
@FunctionalInterface
interface Derivative {
    Tensor apply(Tensor upstream, Tensor out, Node node, int input);
}
