package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.logging.Logger;

/**
 * How a layer's weights {@code W[l]} of shape {@code (n[l], n[l-1])} start; biases start at
 * zero. Weights are drawn with {@code rng.randn} row-major and then scaled elementwise exactly as
 * the course's numpy code writes it, so with the same seed and the same order of layers the
 * weights equal the notebooks' bit for bit:
 *
 * <table>
 * <caption>initializers</caption>
 * <tr><th>constant</th><th>numpy</th></tr>
 * <tr><td>{@link #ZEROS}</td><td>{@code np.zeros((n[l], n[l-1]))} (no draws)</td></tr>
 * <tr><td>{@link #SMALL_RANDOM}</td><td>{@code np.random.randn(n[l], n[l-1]) * 0.01}</td></tr>
 * <tr><td>{@link #DEEP}</td><td>{@code np.random.randn(n[l], n[l-1]) / np.sqrt(n[l-1])}</td></tr>
 * <tr><td>{@link #XAVIER}</td><td>{@code np.random.randn(n[l], n[l-1]) * np.sqrt(1. / n[l-1])}</td></tr>
 * <tr><td>{@link #GLOROT}</td><td>{@code np.random.randn(n[l], n[l-1]) * np.sqrt(2. / (n[l-1] + n[l]))}</td></tr>
 * <tr><td>{@link #HE}</td><td>{@code np.random.randn(n[l], n[l-1]) * np.sqrt(2. / n[l-1])}</td></tr>
 * <tr><td>{@link #scaled scaled(c)}</td><td>{@code np.random.randn(n[l], n[l-1]) * c}</td></tr>
 * </table>
 */
public interface Initializer {
    /** A new {@code (nOut, nIn)} weight matrix; {@code rng} is advanced by {@code nOut·nIn} normal draws (none for zeros). */
    Tensor weights(int nOut, int nIn, NumpyRandom rng);

    /** A new {@code (nOut, 1)} bias vector; zeros, with no draws. */
    default Tensor biases(int nOut, NumpyRandom rng) {
        return Tensor.zeros(nOut, 1);
    }

    /** All zeros: every hidden unit computes the same function and gets the same gradient, so they never differ (logs a warning). */
    Initializer ZEROS = new Initializer() {
        @Override
        public Tensor weights(int nOut, int nIn, NumpyRandom rng) {
            checkSizes(nOut, nIn);
            if (nOut > 1) {
                Logger.getLogger(Initializer.class.getName()).warning(String.format(
                        "Initializer.ZEROS: the %d units of a (%d, %d) weight matrix start equal and stay symmetric:"
                        + " they get identical gradients and never learn different features; hint: use HE or"
                        + " SMALL_RANDOM", nOut, nOut, nIn));
            }
            return Tensor.zeros(nOut, nIn);
        }

        @Override
        public String toString() {
            return "zeros";
        }
    };
    /** {@code randn · 0.01}: the course's shallow network. */
    Initializer SMALL_RANDOM = scaled(0.01);
    /** {@code randn / sqrt(n[l-1])}: the course's deep application. */
    Initializer DEEP = drawn("randn / sqrt(n[l-1])", (nOut, nIn) -> {
        double d = Math.sqrt(nIn);
        return x -> x / d;
    });
    /** Xavier as the course defines it: {@code randn · sqrt(1 / n[l-1])}, suited to tanh. */
    Initializer XAVIER = drawn("xavier", (nOut, nIn) -> {
        double s = Math.sqrt(1.0 / nIn);
        return x -> x * s;
    });
    /** Glorot and Bengio's normal variant: {@code randn · sqrt(2 / (n[l-1] + n[l]))}. */
    Initializer GLOROT = drawn("glorot", (nOut, nIn) -> {
        double s = Math.sqrt(2.0 / (nIn + nOut));
        return x -> x * s;
    });
    /** He et al.: {@code randn · sqrt(2 / n[l-1])}, suited to ReLU. */
    Initializer HE = drawn("he", (nOut, nIn) -> {
        double s = Math.sqrt(2.0 / nIn);
        return x -> x * s;
    });

    /** {@code randn · factor} (e.g. 0.01, or 10 for the course's "too large" experiment). */
    static Initializer scaled(double factor) {
        Checks.argument(Double.isFinite(factor), "Initializer.scaled: factor must be finite, got %s", factor);
        return drawn("randn * " + factor, (nOut, nIn) -> x -> x * factor);
    }

    /** Weights {@code randn(nOut, nIn)} mapped elementwise by {@code scale.apply(nOut, nIn)}. */
    private static Initializer drawn(String name, BiFunction<Integer, Integer, DoubleUnaryOperator> scale) {
        return new Initializer() {
            @Override
            public Tensor weights(int nOut, int nIn, NumpyRandom rng) {
                checkSizes(nOut, nIn);
                Checks.notNull(rng, "Initializer " + name, "rng");
                double[] w = Tensor.randn(nOut, nIn, rng).toRowMajorArray();
                DoubleUnaryOperator f = scale.apply(nOut, nIn);
                for (int i = 0; i < w.length; i++) {
                    w[i] = f.applyAsDouble(w[i]);
                }
                return Tensor.fromRowMajor(nOut, nIn, w);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static void checkSizes(int nOut, int nIn) {
        Checks.argument(nOut > 0 && nIn > 0, "Initializer: layer sizes must be positive, got W of shape (%d, %d)",
                nOut, nIn);
    }
}
