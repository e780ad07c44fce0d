package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Primitive;
import io.github.chainrule.autodiff.Tensor;
import java.util.function.UnaryOperator;

/**
 * An elementwise (or, for softmax, per-column) activation {@code A = g(Z)} that a {@link Dense}
 * layer applies to its pre-activation {@code Z} of shape {@code (n[l], m)}. The constants cover
 * the course's activations; {@link #of} wraps any tensor function. Maxout, whose pieces need
 * their own weights, is a layer: {@link Maxout}.
 */
public interface Activation {
    /** The name shown in summaries and diagnostics ({@code "relu"}, {@code "sigmoid"}, ...). */
    String name();

    /** {@code g(z)}, recorded in the graph so that gradients flow through it. */
    Tensor apply(Tensor z);

    /**
     * The primitive that computes this activation when it is a single one ({@link Primitive#SIGMOID}
     * for {@link #SIGMOID}), or {@code null} (softmax, identity, custom functions). Readers such as
     * {@link Diagnostics} switch on it rather than on the name.
     */
    default Primitive primitive() {
        return null;
    }

    /** {@link Activations#sigmoid}. */
    Activation SIGMOID = of("sigmoid", Primitive.SIGMOID, Activations::sigmoid);
    /** {@link Activations#tanh}. */
    Activation TANH = of("tanh", Primitive.TANH, Activations::tanh);
    /** {@link Activations#relu}. */
    Activation RELU = of("relu", Primitive.RELU, Activations::relu);
    /** {@link Activations#leakyRelu(Tensor)} with slope 0.01. */
    Activation LEAKY_RELU = of("leakyRelu", Primitive.LEAKY_RELU, Activations::leakyRelu);
    /** {@link Activations#elu(Tensor)} with alpha 1. */
    Activation ELU = of("elu", Primitive.ELU, Activations::elu);
    /** {@link Activations#softmax}, per column. */
    Activation SOFTMAX = of("softmax", Activations::softmax);
    /** {@link Activations#identity}: a linear layer. */
    Activation IDENTITY = of("identity", Activations::identity);

    /** Leaky ReLU with the given negative slope. */
    static Activation leakyRelu(double alpha) {
        Checks.argument(Double.isFinite(alpha), "leakyRelu: alpha must be finite, got %s", alpha);
        return of("leakyRelu(" + alpha + ")", Primitive.LEAKY_RELU, z -> Activations.leakyRelu(z, alpha));
    }

    /** ELU with the given alpha. */
    static Activation elu(double alpha) {
        Checks.argument(Double.isFinite(alpha) && alpha >= 0, "elu: alpha must be finite and >= 0, got %s", alpha);
        return of("elu(" + alpha + ")", Primitive.ELU, z -> Activations.elu(z, alpha));
    }

    /** An activation named {@code name} computing {@code fn}, which must be built from tensor operations. */
    static Activation of(String name, UnaryOperator<Tensor> fn) {
        return of(name, null, fn);
    }

    /**
     * An activation named {@code name} computing {@code fn}, which is the single primitive
     * {@code primitive} (or null). Private: {@code Diagnostics} trusts the primitive (dead ReLUs,
     * saturated sigmoids), so only the built-in activations may claim one.
     */
    private static Activation of(String name, Primitive primitive, UnaryOperator<Tensor> fn) {
        Checks.notNull(name, "Activation.of", "name");
        Checks.notNull(fn, "Activation.of", "fn");
        return new Activation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Primitive primitive() {
                return primitive;
            }

            @Override
            public Tensor apply(Tensor z) {
                return fn.apply(z);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
