package io.github.chainrule.autodiff;

/**
 * Losses fused into single operations for numerical stability: composing them from
 * {@code log} and {@code sigmoid} would give {@code log 0 = −∞} for saturated logits. Labels
 * must have the predictions' shape ({@link Checks#labels}); nothing is broadcast.
 */
final class Fused {
    private Fused() {
    }

    private static final Formula.Upstream G = Formula.g();
    private static final Formula.Input Z = Formula.in(0, "z"), P = Formula.in(0, "p"), Y = Formula.in(1, "y");

    /** See {@link #sigmoidCrossEntropy}. */
    static final Rule[] SIGMOID_CROSS_ENTROPY = {
        Rule.of("z", Formula.times(G, new Formula.Group(Formula.seq(new Formula.Apply("σ", Z), " − ", Y))),
                (g, out, n, i) -> Grad.isEnabled() ? g.mul(n.inputs[0].sigmoid().sub(n.inputs[1]))
                        : sigmoidCrossEntropyBackward(g, n.inputs[0], n.inputs[1])),
        Rule.of("y", new Formula.Negation(Formula.times(G, Z)), (g, out, n, i) -> g.mul(n.inputs[0].neg()))};

    /** {@code g ⊙ (σ(z) − y)} in one pass, for the backward without createGraph. */
    static Tensor sigmoidCrossEntropyBackward(Tensor g, Tensor z, Tensor y) {
        double[] a = g.data(), yd = y.data(), r = SpareArrays.take(a.length);
        ArrayMath.sigmoid(z.data(), r);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * (r[i] + -yd[i]);
        }
        return new Tensor(g.shape(), r, null);
    }

    /**
     * {@code max(z, 0) − z·y + log(1 + e^−|z|)} elementwise: ∂/∂z = g·(σ(z) − y), ∂/∂y = −g·z.
     */
    static Tensor sigmoidCrossEntropy(Tensor logits, Tensor labels) {
        String op = Primitive.SIGMOID_CROSS_ENTROPY.opName();
        Checks.labels(op, "logits", logits, labels);
        Tensor z = logits, y = labels;
        Tensor[] zy = {z, y};
        Shape s = z.shape();
        double[] zd = z.data(), yd = y.data(), r = SpareArrays.take(s.size());
        for (int i = 0; i < r.length; i++) {
            double zi = zd[i];
            r[i] = Math.max(zi, 0) - zi * yd[i] + Math.log1p(Math.exp(-Math.abs(zi)));
        }
        return Recorder.record(Primitive.SIGMOID_CROSS_ENTROPY, Attrs.NONE, s, r, zy);
    }

    /** The floor of each log in {@link #binaryCrossEntropy}, as in PyTorch's {@code BCELoss}. */
    static final double LOG_FLOOR = -100;
    /** The floor of {@code p(1 − p)} in its gradient, as in PyTorch's {@code BCELoss}. */
    static final double VARIANCE_FLOOR = 1e-12;

    /** See {@link #binaryCrossEntropy}. */
    static final Rule[] BINARY_CROSS_ENTROPY = {
        Rule.of("p", new Formula.Quotient(Formula.times(G, new Formula.Group(Formula.seq(P, " − ", Y))),
                new Formula.Apply("max", Formula.seq(P, "(1 − ", P, "), 1e-12"))), (g, out, n, i) -> {
                    Tensor p = n.inputs[0], y = n.inputs[1];
                    return g.mul(p.sub(y)).div(p.mul(p.neg().add(1)).maximum(Tensor.scalar(VARIANCE_FLOOR)));
                }),
        Rule.of("y", Formula.seq(Formula.times(G, new Formula.Group(Formula.seq("log(1 − ", P, ") − log ", P))),
                ", logs floored at −100"), (g, out, n, i) -> {
                    Tensor p = n.inputs[0];
                    return g.mul(p.neg().add(1).log().maximum(Tensor.scalar(LOG_FLOOR))
                            .sub(p.log().maximum(Tensor.scalar(LOG_FLOOR))));
                })};

    /**
     * {@code −[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)]} elementwise, for
     * probabilities p: a saturated p (exactly 0 or 1) gives a large finite loss, and the gradient
     * {@code ∂/∂p = g·(p − y) / max(p(1 − p), 1e-12)} stays finite and nonzero, so training
     * moves away from saturation. {@code ∂/∂y = g·(max(log(1 − p), −100) − max(log p, −100))}.
     * A NaN probability gives NaN.
     */
    static Tensor binaryCrossEntropy(Tensor probabilities, Tensor labels) {
        String op = Primitive.BINARY_CROSS_ENTROPY.opName();
        Checks.labels(op, "probabilities", probabilities, labels);
        Tensor p = probabilities, y = labels;
        Tensor[] py = {p, y};
        Shape s = p.shape();
        double[] pd = p.data(), yd = y.data(), r = SpareArrays.take(s.size());
        for (int i = 0; i < r.length; i++) {
            double pi = pd[i], yi = yd[i];
            // 0.0 − x rather than −x: a perfect prediction costs +0, not −0
            r[i] = 0.0 - (yi * Math.max(Math.log(pi), LOG_FLOOR) + (1 - yi) * Math.max(Math.log1p(-pi), LOG_FLOOR));
        }
        return Recorder.record(Primitive.BINARY_CROSS_ENTROPY, Attrs.NONE, s, r, py);
    }

    /**
     * Per column: {@code Σ_k y_k · logSumExp(z) − Σ_k y_k z_k}, (1, m).
     * ∂/∂z = g·(softmax(z)·Σ_k y_k − y), ∂/∂y = −g·log softmax(z).
     */
    static final Rule[] SOFTMAX_CROSS_ENTROPY = {
        Rule.of("z", Formula.times(G, new Formula.Group(Formula.seq(new Formula.Apply("softmax", Z), " · Σ", Y, " − ", Y))),
                (g, out, n, i) -> Grad.isEnabled() ? g.expand(n.inputs[0].shape())
                        .mul(n.inputs[0].softmax(0).mul(n.inputs[1].sum(0, true)).sub(n.inputs[1]))
                        : softmaxCrossEntropyBackward(g, n.inputs[0], n.inputs[1])),
        Rule.of("y", new Formula.Negation(Formula.times(G, Formula.seq("log ", new Formula.Apply("softmax", Z)))),
                (g, out, n, i) -> g.expand(n.inputs[0].shape()).mul(n.inputs[0].logSoftmax(0).neg()))};

    /**
     * {@code g ⊙ (softmax(z)·Σ_k y_k − y)} per column in one pass (the composed rule's arithmetic:
     * the shift by the maximum, infinite maxima replaced by 0, {@code e · (1/Σe)}), for the backward
     * without createGraph.
     */
    static Tensor softmaxCrossEntropyBackward(Tensor g, Tensor logits, Tensor labels) {
        int k = logits.rows(), m = logits.cols();
        double[] z = logits.data(), y = labels.data(), gd = g.data(), r = SpareArrays.take(k * m);
        double[] max = new double[m], sum = new double[m], sumY = new double[m];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                double v = z[i * m + j];
                if (v > max[j] || Double.isNaN(v) && !Double.isNaN(max[j])) {
                    max[j] = v;
                }
            }
        }
        for (int j = 0; j < m; j++) {
            if (Double.isInfinite(max[j])) {
                max[j] = 0;
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                double e = Math.exp(z[i * m + j] + -max[j]);
                r[i * m + j] = e;
                sum[j] += e;
                sumY[j] += y[i * m + j];
            }
        }
        for (int j = 0; j < m; j++) {
            sum[j] = 1.0 / sum[j];
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                int idx = i * m + j;
                r[idx] = gd[j] * (r[idx] * sum[j] * sumY[j] + -y[idx]);
            }
        }
        return new Tensor(logits.shape(), r, null);
    }

    static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        String op = Primitive.SOFTMAX_CROSS_ENTROPY.opName();
        Checks.labels(op, "logits", logits, labels);
        int k = logits.rows(), m = logits.cols();
        double[] z = logits.data(), y = labels.data(), r = SpareArrays.take(m);
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, z[i * m + j]);
            }
            double s = 0;
            for (int i = 0; i < k; i++) {
                s += Math.exp(z[i * m + j] - max);
            }
            // lse − z = (max − z) + log s: no cancellation between two large numbers
            double logS = Math.log(s), loss = 0;
            for (int i = 0; i < k; i++) {
                loss += y[i * m + j] * ((max - z[i * m + j]) + logS);
            }
            r[j] = loss;
        }
        return Recorder.record(Primitive.SOFTMAX_CROSS_ENTROPY, Attrs.NONE, new Shape(1, m), r, logits, labels);
    }
}
