package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * A maxout layer (Goodfellow et al., 2013): each of the {@code nOut} units computes {@code k}
 * linear pieces of the input and outputs their maximum, {@code A[u] = max_p (W_p·A[l-1] + b_p)[u]}.
 * It learns its own convex piecewise-linear activation. {@code W[l]} is {@code (k·nOut, nIn)}
 * with piece {@code p} in rows {@code [p·nOut, (p+1)·nOut)}, {@code b[l]} is {@code (k·nOut, 1)};
 * see {@link Functional#maxout}. The initializer sees fan-in {@code nIn}.
 */
public final class Maxout extends Layer {
    private final int nIn;
    private final int nOut;
    private final int k;
    private final Tensor w;
    private final Tensor b;
    private Tensor lastA;

    /** {@code nOut} maxout units of {@code k >= 1} pieces over {@code nIn} inputs; weights drawn from {@code rng}. */
    public Maxout(int nIn, int nOut, int k, Initializer initializer, NumpyRandom rng) {
        super("maxout");
        Checks.argument(nIn > 0 && nOut > 0, "Maxout: sizes must be positive, got nIn %d, nOut %d", nIn, nOut);
        Checks.argument(k >= 1, "Maxout: k (pieces per unit) must be >= 1, got %d", k);
        Checks.notNull(initializer, "Maxout", "initializer");
        this.nIn = nIn;
        this.nOut = nOut;
        this.k = k;
        this.w = registerParameter("W", initializer.weights(k * nOut, nIn, rng));
        this.b = registerParameter("b", initializer.biases(k * nOut, rng));
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
     * The maximum of the {@code k} pieces per unit, {@code (nOut, m)}.
     *
     * @throws IllegalArgumentException if {@code aPrev} does not have {@code nIn} rows
     */
    @Override
    public Tensor forward(Tensor aPrev) {
        checkInput(aPrev, w, nIn);
        lastA = Functional.maxout(aPrev, w, b, k).named(course("A"));
        return lastA;
    }

    /** The weights {@code W[l]}, {@code (k·nOut, nIn)}. */
    public Tensor weight() {
        return w;
    }

    /** The bias {@code b[l]}, {@code (k·nOut, 1)}. */
    public Tensor bias() {
        return b;
    }

    /** Pieces per unit. */
    public int pieces() {
        return k;
    }

    /** Output size {@code n[l]}. */
    public int outputSize() {
        return nOut;
    }

    /** {@code A[l]} of the latest forward, or {@code null}. */
    public Tensor lastOutput() {
        return lastA;
    }

    @Override
    public String toString() {
        return String.format("%s: Maxout(%d -> %d, k = %d), W[%d] %s", layerName(), nIn, nOut, k, index(), w.shape());
    }
}
