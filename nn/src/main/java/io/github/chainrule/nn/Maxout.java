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
public final class Maxout extends WeightedLayer {
    private final int nOut;
    private final int k;
    private final LastForward last = new LastForward();

    /** {@code nOut} maxout units of {@code k >= 1} pieces over {@code nIn} inputs; weights drawn from {@code rng}. */
    public Maxout(int nIn, int nOut, int k, Initializer initializer, NumpyRandom rng) {
        super("Maxout", checked(nIn, nOut, k), k * nOut, initializer, rng);
        this.nOut = nOut;
        this.k = k;
    }

    /** Checks the sizes before any weight is drawn; returns {@code nIn}. */
    private static int checked(int nIn, int nOut, int k) {
        Checks.argument(nIn > 0 && nOut > 0, "Maxout: sizes must be positive, got nIn %d, nOut %d", nIn, nOut);
        Checks.argument(k >= 1, "Maxout: k (pieces per unit) must be >= 1, got %d", k);
        return nIn;
    }

    /**
     * The maximum of the {@code k} pieces per unit, {@code (nOut, m)}.
     *
     * @throws IllegalArgumentException if {@code aPrev} does not have {@code nIn} rows
     */
    @Override
    public Tensor forward(Tensor aPrev) {
        Tensor a = Functional.maxout(checkInput(aPrev), weight(), bias(), k).named(course("A"));
        last.remember(null, a);
        return a;
    }

    /** Pieces per unit. */
    public int pieces() {
        return k;
    }

    /** Output size {@code n[l]}. */
    public int outputSize() {
        return nOut;
    }

    /** {@code A[l]} of the latest forward (a copy of its values, without the graph), or {@code null}. */
    public Tensor lastOutput() {
        return last.a();
    }

    @Override
    public String toString() {
        return String.format("%s: Maxout(%d -> %d, k = %d), W[%d] %s", layerName(), inputSize(), nOut, k, index(),
                weight().shape());
    }

    @Override
    Diagnostics.LayerReport diagnose() {
        return Diagnostics.layer(layerName(), null, outputSize(), null, weight());
    }
}
