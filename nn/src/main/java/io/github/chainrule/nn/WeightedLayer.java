package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * A layer with a weight matrix {@code W[l]} of shape {@code (rows, nIn)} and a bias {@code b[l]}
 * of shape {@code (rows, 1)}, registered as {@code "W"} and {@code "b"} and named in the course's
 * notation; it counts as a layer for the numbering {@code l}. {@link Dense} and {@link Maxout}
 * are weighted layers.
 */
public abstract class WeightedLayer extends Layer {
    private final int nIn;
    private final Tensor w;
    private final Tensor b;

    /** Draws {@code W} with {@code initializer} from {@code rng} (which it advances); {@code b} starts at zero. */
    WeightedLayer(String kind, int nIn, int rows, Initializer initializer, NumpyRandom rng) {
        super(kind.toLowerCase(java.util.Locale.ROOT));
        Checks.notNull(initializer, kind, "initializer");
        this.nIn = nIn;
        this.w = registerWeight("W", initializer.weights(rows, nIn, rng));
        this.b = registerParameter("b", initializer.biases(rows, rng));
        renameTensors();
    }

    @Override
    final boolean countsAsLayer() {
        return true;
    }

    @Override
    final void renameTensors() {
        w.named(course("W"));
        b.named(course("b"));
    }

    /**
     * Checks that {@code aPrev} is {@code (nIn, m)}; the message names the layer, its weights and
     * the expected {@code A[l-1]}.
     */
    final Tensor checkInput(Tensor aPrev) {
        Checks.notNull(aPrev, who(), "input");
        Checks.argument(aPrev.rows() == nIn, "%s: input has %d rows but %s is %s: expected %s of shape (%d, m)",
                who(), aPrev.rows(), w.name(), w.shape(), "A[" + (index() - 1) + "]", nIn);
        return aPrev;
    }

    /** The weights {@code W[l]}: the live parameter, updated in place by optimizers. */
    public final Tensor weight() {
        return w;
    }

    /** The bias {@code b[l]}, {@code (rows, 1)}: the live parameter. */
    public final Tensor bias() {
        return b;
    }

    /** Input size {@code n[l-1]}. */
    public final int inputSize() {
        return nIn;
    }
}
