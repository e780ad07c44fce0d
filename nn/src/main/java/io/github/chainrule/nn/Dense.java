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
public final class Dense extends Layer {
    private final int nIn;
    private final int nOut;
    private final Activation activation;
    private final Tensor w;
    private final Tensor b;
    private Tensor lastZ;
    private Tensor lastA;

    /**
     * A layer from {@code nIn} to {@code nOut} units; {@code W} is drawn from {@code rng} by
     * {@code initializer} (which advances it), {@code b} starts at zero.
     */
    public Dense(int nIn, int nOut, Activation activation, Initializer initializer, NumpyRandom rng) {
        super("dense");
        Checks.argument(nIn > 0 && nOut > 0, "Dense: sizes must be positive, got nIn %d, nOut %d", nIn, nOut);
        this.nIn = nIn;
        this.nOut = nOut;
        this.activation = Checks.notNull(activation, "Dense", "activation");
        Checks.notNull(initializer, "Dense", "initializer");
        this.w = registerParameter("W", initializer.weights(nOut, nIn, rng));
        this.b = registerParameter("b", initializer.biases(nOut, rng));
        renameTensors();
    }

    @Override
    boolean countsAsLayer() {
        return true;
    }

    @Override
    void renameTensors() {
        w.named(course("W"));
        b.named(course("b"));
    }

    /**
     * {@code A[l] = g(W[l]·A[l-1] + b[l])}.
     *
     * @throws IllegalArgumentException if {@code aPrev} does not have {@code nIn} rows
     */
    @Override
    public Tensor forward(Tensor aPrev) {
        checkInput(aPrev, w, nIn);
        Tensor z = Functional.linear(aPrev, w, b).named(course("Z"));
        Tensor a = activation.apply(z);
        if (a != z) {
            a.named(course("A"));
        }
        lastZ = z;
        lastA = a;
        return a;
    }

    /** The weights {@code W[l]}, {@code (nOut, nIn)}: the live parameter, updated in place by optimizers. */
    public Tensor weight() {
        return w;
    }

    /** The bias {@code b[l]}, {@code (nOut, 1)}: the live parameter. */
    public Tensor bias() {
        return b;
    }

    /** The activation {@code g}. */
    public Activation activation() {
        return activation;
    }

    /** Input size {@code n[l-1]}. */
    public int inputSize() {
        return nIn;
    }

    /** Output size {@code n[l]}. */
    public int outputSize() {
        return nOut;
    }

    /** {@code Z[l]} of the latest forward, or {@code null} before the first. */
    public Tensor lastPreActivation() {
        return lastZ;
    }

    /** {@code A[l]} of the latest forward, or {@code null} before the first. */
    public Tensor lastOutput() {
        return lastA;
    }

    @Override
    public String toString() {
        return String.format("%s: Dense(%d -> %d, %s), W[%d] %s, b[%d] %s", layerName(), nIn, nOut,
                activation.name(), index(), w.shape(), index(), b.shape());
    }
}
