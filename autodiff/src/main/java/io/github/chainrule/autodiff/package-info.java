/**
 * Reverse-mode automatic differentiation on matrices of doubles.
 *
 * <p>{@link io.github.chainrule.autodiff.Tensor} holds a value and remembers the operation that
 * computed it; {@link io.github.chainrule.autodiff.Tensor#backward()} walks the graph back and
 * stores {@code ∂output/∂t} on every tensor. Each primitive operation defines its forward value
 * and its backward rules side by side (package-private classes {@code Elementwise},
 * {@code Reductions}, {@code Structure}, {@code MatMul}, {@code Fused}) and is listed, with its
 * symbol, arity and derivative formulas as {@link io.github.chainrule.autodiff.Formula} values, in
 * {@link io.github.chainrule.autodiff.Primitive}; composite operations ({@code sub}, {@code div},
 * {@code softmax}, ...: {@link io.github.chainrule.autodiff.Composite}) are written with primitives,
 * need no backward of their own, and record their calls so that readers can show them as one step. Broadcasting happens in one place ({@link io.github.chainrule.autodiff.Shape#broadcast}
 * and {@code Reductions.expand}) and its gradient is reduced in one place ({@code sumTo}).
 *
 * <p>Also here: {@link io.github.chainrule.autodiff.Autograd} ({@code grad} with higher order),
 * {@link io.github.chainrule.autodiff.Grad} (no-grad scopes), {@link io.github.chainrule.autodiff.Anomaly}
 * (NaN/Inf detection), {@link io.github.chainrule.autodiff.GradCheck} (finite-difference checks),
 * {@link io.github.chainrule.autodiff.ComputationGraph} (a read-only view for drawings) and
 * {@link io.github.chainrule.autodiff.NumpyRandom} (numpy's legacy generator).
 *
 * <p>Depends on EJML (matrix multiply, behind {@code Gemm}) and Guava (the read-only graph view:
 * {@code ComputationGraph.asGraph()} and immutable lists; never on the per-op path). EJML types
 * appear in the public API only in the explicit conversions {@code Tensor.toEjml()} and
 * {@code Tensor.fromEjml}.
 */
package io.github.chainrule.autodiff;
