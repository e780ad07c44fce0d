package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Anomaly;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * The activation functions as plain functions of a pre-activation {@code Z} of shape
 * {@code (n, m)} (one example per column); each returns {@code A} of the same shape. They are
 * composed from autodiff operations, so their derivatives come from the graph; the derivative
 * each one produces is stated for reference. {@link Activation} wraps them for {@link Dense}.
 *
 * <p>Conventions at kinks: {@code relu'(0) = 0}, {@code leakyRelu'(0) = alpha},
 * {@code elu'(0) = alpha} (the left-hand derivative; see {@code Tensor.relu}).
 */
public final class Activations {
    static {
        Anomaly.markLibraryCode(Activations.class);
    }

    /** The slope of {@link #leakyRelu(Tensor)} for negative inputs. */
    public static final double LEAKY_RELU_SLOPE = 0.01;
    /** The scale of {@link #elu(Tensor)} for negative inputs. */
    public static final double ELU_ALPHA = 1.0;

    private Activations() {
    }

    /** {@code σ(z) = 1 / (1 + e^−z)}; {@code σ' = σ(1 − σ)}, at most 1/4. */
    public static Tensor sigmoid(Tensor z) {
        return Checks.notNull(z, "sigmoid", "z").sigmoid();
    }

    /** {@code tanh z}; {@code tanh' = 1 − tanh²}. */
    public static Tensor tanh(Tensor z) {
        return Checks.notNull(z, "tanh", "z").tanh();
    }

    /** {@code max(z, 0)}; derivative 1 for {@code z > 0}, 0 otherwise. */
    public static Tensor relu(Tensor z) {
        return Checks.notNull(z, "relu", "z").relu();
    }

    /** {@code z} for {@code z > 0}, else {@code 0.01·z}. */
    public static Tensor leakyRelu(Tensor z) {
        return leakyRelu(z, LEAKY_RELU_SLOPE);
    }

    /** {@code z} for {@code z > 0}, else {@code alpha·z}; derivative 1 or {@code alpha}. */
    public static Tensor leakyRelu(Tensor z, double alpha) {
        Checks.argument(Double.isFinite(alpha), "leakyRelu: alpha must be finite, got %s", alpha);
        return Checks.notNull(z, "leakyRelu", "z").leakyRelu(alpha);
    }

    /** {@code z} for {@code z > 0}, else {@code e^z − 1}. */
    public static Tensor elu(Tensor z) {
        return elu(z, ELU_ALPHA);
    }

    /** {@code z} for {@code z > 0}, else {@code alpha·(e^z − 1)}; derivative 1 or {@code alpha·e^z}. */
    public static Tensor elu(Tensor z, double alpha) {
        Checks.argument(Double.isFinite(alpha) && alpha >= 0, "elu: alpha must be finite and >= 0, got %s", alpha);
        return Checks.notNull(z, "elu", "z").elu(alpha);
    }

    /**
     * Per column (the class axis 0): {@code softmax(z)_i = e^{z_i} / Σ_k e^{z_k}}, computed
     * stably; each column of the result sums to 1. Jacobian per column {@code diag(s) − s·sᵀ}.
     */
    public static Tensor softmax(Tensor z) {
        return Checks.notNull(z, "softmax", "z").softmax(0);
    }

    /** {@code z} itself (a linear output layer, e.g. for regression); derivative 1. */
    public static Tensor identity(Tensor z) {
        return Checks.notNull(z, "identity", "z");
    }
}
