package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * A fully connected layer: {@code Z[l] = W[l]·A[l-1] + b[l]}, {@code A[l] = g(Z[l])}, with
 * {@code W[l]} of shape {@code (nOut, nIn)}, {@code b[l]} of shape {@code (nOut, 1)} broadcast
 * across the m columns, input {@code A[l-1]} of shape {@code (nIn, m)} and output
 * {@code (nOut, m)}. Parameters are registered as {@code "W"} and {@code "b"} and carry the
 * tensor names {@code W[l]}, {@code b[l]}; each forward names its results {@code Z[l]} and
 * {@code A[l]} and keeps them for {@link Diagnostics}.
 *
 * <pre>{@code
 * var rng = new NumpyRandom(2);
 * Dense hidden = new Dense(2, 4, Activation.TANH, Initializer.SMALL_RANDOM, rng);  // W[1] (4, 2)
 * Tensor a1 = hidden.forward(x);                                                   // (4, m)
 * }</pre>
 */
public final class Dense extends WeightedLayer {
    private final int nOut;
    private final Activation activation;
    private final LastForward last = new LastForward();

    /**
     * A layer from {@code nIn} to {@code nOut} units; {@code W} is drawn from {@code rng} by
     * {@code initializer} (which advances it), {@code b} starts at zero.
     */
    public Dense(int nIn, int nOut, Activation activation, Initializer initializer, NumpyRandom rng) {
        super("Dense", positive(nIn, nOut, activation), nOut, initializer, rng);
        this.nOut = nOut;
        this.activation = activation;
    }

    /** Checks the arguments before any weight is drawn; returns {@code nIn}. */
    private static int positive(int nIn, int nOut, Activation activation) {
        Checks.argument(nIn > 0 && nOut > 0, "Dense: sizes must be positive, got nIn %d, nOut %d", nIn, nOut);
        Checks.notNull(activation, "Dense", "activation");
        return nIn;
    }

    /**
     * {@code A[l] = g(W[l]·A[l-1] + b[l])}.
     *
     * @throws IllegalArgumentException if {@code aPrev} does not have {@code nIn} rows
     */
    @Override
    public Tensor forward(Tensor aPrev) {
        Tensor z = Functional.linear(checkInput(aPrev), weight(), bias()).named(course("Z"));
        Tensor a = activate(activation, z);
        last.remember(z, a);
        return a;
    }

    /** The activation {@code g}. */
    public Activation activation() {
        return activation;
    }

    /** Output size {@code n[l]}. */
    public int outputSize() {
        return nOut;
    }

    /** {@code Z[l]} of the latest forward (a copy of its values, without the graph), or {@code null} before the first. */
    public Tensor lastPreActivation() {
        return last.z();
    }

    /** {@code A[l]} of the latest forward (a copy of its values, without the graph), or {@code null} before the first. */
    public Tensor lastOutput() {
        return last.a();
    }

    @Override
    public String toString() {
        return String.format("%s: Dense(%d -> %d, %s), W[%d] %s, b[%d] %s", layerName(), inputSize(), nOut,
                activation.name(), index(), weight().shape(), index(), bias().shape());
    }

    @Override
    Diagnostics.LayerReport diagnose() {
        return Diagnostics.layer(layerName(), activation(), outputSize(), lastOutput(), weight());
    }
}
