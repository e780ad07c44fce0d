/**
 * Neural networks on top of {@code io.github.chainrule.autodiff}: modules and layers
 * ({@link io.github.chainrule.nn.Module}, {@link io.github.chainrule.nn.Dense},
 * {@link io.github.chainrule.nn.Maxout}, {@link io.github.chainrule.nn.BatchNorm},
 * {@link io.github.chainrule.nn.Dropout}, {@link io.github.chainrule.nn.Sequential}), the math of
 * each layer as plain functions ({@link io.github.chainrule.nn.Functional}), activations
 * ({@link io.github.chainrule.nn.Activations}, {@link io.github.chainrule.nn.Activation}), costs
 * ({@link io.github.chainrule.nn.Losses}, {@link io.github.chainrule.nn.Costs}), initializers
 * ({@link io.github.chainrule.nn.Initializer}) and {@link io.github.chainrule.nn.Diagnostics};
 * optimizers and training.
 *
 * <p>Conventions: one example per column ({@code A[l]} is {@code (n[l], m)}), course names on
 * tensors ({@code W[l]}, {@code b[l]}, {@code Z[l]}, {@code A[l]}), costs are means over the m
 * examples. Every gradient comes from autodiff operations; nothing here writes a backward rule.
 *
 * <p><b>Custom models</b> extend {@link io.github.chainrule.nn.Module}: register parameters
 * (and layers as children) in the constructor and write {@code forward} with tensor operations
 * or {@link io.github.chainrule.nn.Functional}:
 *
 * <pre>{@code
 * class TwoLayer extends Module {
 *     final Dense hidden, out;
 *     TwoLayer(NumpyRandom rng) {
 *         hidden = registerModule("hidden", new Dense(2, 4, Activation.TANH, Initializer.SMALL_RANDOM, rng));
 *         out = registerModule("out", new Dense(4, 1, Activation.SIGMOID, Initializer.SMALL_RANDOM, rng));
 *         out.bind("out", 2);                        // names W[2], b[2], Z[2], A[2]
 *     }
 *     public Tensor forward(Tensor x) { return out.forward(hidden.forward(x)); }
 * }
 * }</pre>
 *
 * <p>Depends on {@code autodiff} only; never on {@code viz}.
 */
package io.github.chainrule.nn;
