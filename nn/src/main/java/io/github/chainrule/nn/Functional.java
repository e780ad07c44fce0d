package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Anomaly;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;

/**
 * The math of every layer as a function of its input and its parameters, all passed as tensors
 * (like PyTorch's {@code nn.functional}). The layer classes ({@link Dense}, {@link Maxout},
 * {@link BatchNorm}, {@link Dropout}) own parameters and state and call these; custom models and
 * the gradient tests call them directly. Everything is composed from autodiff operations, so
 * gradients with respect to the input and to every parameter come from the graph.
 *
 * <p>Shapes follow the course: one example per column, {@code A[l-1]} is {@code (n[l-1], m)},
 * {@code W[l]} is {@code (n[l], n[l-1])}, {@code b[l]} is {@code (n[l], 1)} and is broadcast
 * across the m columns. No argument is modified.
 */
public final class Functional {
    static {
        Anomaly.markLibraryCode(Functional.class);
    }

    private Functional() {
    }

    /**
     * {@code Z = W·A + b}: {@code (n, k)·(k, m) + (n, 1) → (n, m)}. Gradients (for an upstream
     * {@code dZ}): {@code dW = dZ·Aᵀ}, {@code db = Σ_columns dZ}, {@code dA = Wᵀ·dZ}.
     */
    public static Tensor linear(Tensor aPrev, Tensor w, Tensor b) {
        String op = "linear";
        Checks.notNull(aPrev, op, "aPrev");
        Checks.notNull(w, op, "W");
        Checks.notNull(b, op, "b");
        Checks.argument(b.shape().equals(Shape.of(w.rows(), 1)),
                "%s: b is %s but W is %s: expected b of shape (%d, 1)", op, b.shape(), w.shape(), w.rows());
        Checks.argument(aPrev.rows() == w.cols(),
                "%s: input has %d rows but W is %s: expected A of shape (%d, m)", op, aPrev.rows(), w.shape(),
                w.cols());
        return w.matmul(aPrev).add(b);
    }

    /** {@code A = g(W·A_prev + b)}: {@link #linear} followed by {@code activation}. */
    public static Tensor dense(Tensor aPrev, Tensor w, Tensor b, Activation activation) {
        Checks.notNull(activation, "dense", "activation");
        return activation.apply(linear(aPrev, w, b));
    }

    /**
     * Maxout with {@code k} linear pieces per unit: {@code Z = W·A + b} of shape {@code (k·n, m)},
     * where rows {@code [p·n, (p+1)·n)} hold piece {@code p}, and
     * {@code A[u, j] = max_p Z[p·n + u, j]}, shape {@code (n, m)}. The gradient flows to the
     * winning piece only (on ties, to the lowest {@code p}). {@code W} is {@code (k·n, n[l-1])}
     * and {@code b} is {@code (k·n, 1)}.
     */
    public static Tensor maxout(Tensor aPrev, Tensor w, Tensor b, int k) {
        Checks.notNull(w, "maxout", "W");
        Checks.argument(k >= 1, "maxout: k (pieces per unit) must be >= 1, got %d", k);
        Checks.argument(w.rows() % k == 0,
                "maxout: W is %s but its %d rows are not a multiple of k = %d: expected (k·n, n[l-1])",
                w.shape(), w.rows(), k);
        Tensor z = linear(aPrev, w, b);
        int n = w.rows() / k;
        Tensor a = z.rows(0, n);
        for (int p = 1; p < k; p++) {
            a = a.maximum(z.rows(p * n, (p + 1) * n));
        }
        return a;
    }

    /**
     * Batch normalization in training mode, per feature row across the m columns:
     * {@code μ = (1/m) Σ_j x_j}, {@code σ² = (1/m) Σ_j (x_j − μ)²} (the biased variance),
     * {@code x̂ = (x − μ) / sqrt(σ² + ε)}, {@code y = γ ⊙ x̂ + β}. {@code x} is {@code (n, m)},
     * {@code γ} and {@code β} are {@code (n, 1)}. The graph yields the textbook gradients:
     * {@code ∂ℓ/∂x̂ = ∂ℓ/∂y · γ}, {@code ∂ℓ/∂σ² = Σ_j ∂ℓ/∂x̂_j (x_j − μ) · (−½)(σ² + ε)^(−3/2)},
     * {@code ∂ℓ/∂μ = −Σ_j ∂ℓ/∂x̂_j / sqrt(σ² + ε)} (the term through σ² vanishes),
     * {@code ∂ℓ/∂x_j = ∂ℓ/∂x̂_j / sqrt(σ² + ε) + ∂ℓ/∂σ² · 2(x_j − μ)/m + ∂ℓ/∂μ / m},
     * {@code ∂ℓ/∂γ = Σ_j ∂ℓ/∂y_j x̂_j}, {@code ∂ℓ/∂β = Σ_j ∂ℓ/∂y_j}.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        checkBatchNorm("batchNorm", x, gamma, beta, eps);
        Tensor centered = x.sub(x.mean(1, true));
        Tensor variance = centered.pow(2).mean(1, true);
        Tensor normalized = centered.div(variance.add(eps).sqrt());
        return gamma.mul(normalized).add(beta);
    }

    /**
     * Batch normalization in evaluation mode, with fixed statistics (the running averages
     * collected in training): {@code y = γ ⊙ (x − mean) / sqrt(var + ε) + β}; {@code mean} and
     * {@code var} are {@code (n, 1)}.
     */
    public static Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
            double eps) {
        checkBatchNorm("batchNormInference", x, gamma, beta, eps);
        Checks.notNull(mean, "batchNormInference", "mean");
        Checks.notNull(var, "batchNormInference", "var");
        Checks.argument(mean.shape().equals(gamma.shape()) && var.shape().equals(gamma.shape()),
                "batchNormInference: mean %s and var %s must have gamma's shape %s", mean.shape(), var.shape(),
                gamma.shape());
        return gamma.mul(x.sub(mean).div(var.add(eps).sqrt())).add(beta);
    }

    private static void checkBatchNorm(String op, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Checks.notNull(x, op, "x");
        Checks.notNull(gamma, op, "gamma");
        Checks.notNull(beta, op, "beta");
        Checks.argument(eps > 0 && Double.isFinite(eps), "%s: eps must be > 0, got %s", op, eps);
        Shape column = Shape.of(x.rows(), 1);
        Checks.argument(gamma.shape().equals(column) && beta.shape().equals(column),
                "%s: x is %s so gamma and beta must be %s, got %s and %s", op, x.shape(), column, gamma.shape(),
                beta.shape());
    }

    /**
     * Inverted dropout with a given mask: {@code A ⊙ D / keep_prob}, so that the expected value
     * of each unit is unchanged and evaluation needs no rescaling. {@code mask} holds 0 or 1 and
     * has {@code a}'s shape; see {@link Dropout#mask} for the course's way of drawing it.
     * Gradient: {@code dA_prev = dA ⊙ D / keep_prob}.
     */
    public static Tensor dropout(Tensor a, Tensor mask, double keepProb) {
        Checks.notNull(a, "dropout", "a");
        Checks.notNull(mask, "dropout", "mask");
        Dropout.checkKeepProb("dropout", keepProb);
        Checks.argument(mask.shape().equals(a.shape()), "dropout: mask %s must have the input's shape %s",
                mask.shape(), a.shape());
        return a.mul(mask).div(keepProb);
    }
}
