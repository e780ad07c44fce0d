package io.github.chainrule.autodiff;

/**
 * Elementwise primitives, each forward beside its derivative. Binary ops first expand their
 * operands to the broadcast shape ({@link Reductions#expand}), so the kernels here only ever
 * see equal shapes and never reduce a gradient themselves.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** Expands both operands to their broadcast shape; the one place binary ops (and fused losses) broadcast. */
    static Tensor[] aligned(String op, Tensor a, Tensor b) {
        Checks.notNull(a, op, "left operand");
        Checks.notNull(b, op, "right operand");
        Shape s = Shape.broadcast(op, a.shape(), b.shape());
        return new Tensor[] {Reductions.expand(a, s), Reductions.expand(b, s)};
    }

    /** {@code a + b}: ∂/∂a = g, ∂/∂b = g. */
    static Tensor add(Tensor a, Tensor b) {
        Tensor[] ab = aligned("add", a, b);
        double[] x = ab[0].data, y = ab[1].data, r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = x[i] + y[i];
        }
        return Recorder.record("add", null, ab[0].shape(), r, ab,
                Rule.of("∂/∂a = g", (g, out) -> g), Rule.of("∂/∂b = g", (g, out) -> g));
    }

    /** {@code a ⊙ b}: ∂/∂a = g ⊙ b, ∂/∂b = g ⊙ a. */
    static Tensor mul(Tensor a, Tensor b) {
        Tensor[] ab = aligned("mul", a, b);
        Tensor x = ab[0], y = ab[1];
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.data[i] * y.data[i];
        }
        return Recorder.record("mul", null, x.shape(), r, ab,
                Rule.of("∂/∂a = g · b", (g, out) -> g.mul(y)), Rule.of("∂/∂b = g · a", (g, out) -> g.mul(x)));
    }

    /**
     * {@code g ⊙ d} for an upstream gradient {@code g} and a local derivative {@code d}, except
     * that where {@code g} is 0 the product is 0 even if {@code d} is infinite or NaN: no gradient
     * flows there, so none can turn into NaN (the unselected branch of a {@code maximum}, or
     * {@code log} at 0 behind a {@code relu}). ∂/∂g = h ⊙ d (the same way), ∂/∂d = h ⊙ g.
     */
    static Tensor upstreamTimes(Tensor g, Tensor d) {
        Checks.sameShape("upstreamTimes", g, d);
        double[] a = g.data, b = d.data, r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] == 0 ? 0 : a[i] * b[i];
        }
        return Recorder.record("mul", null, g.shape(), r, new Tensor[] {g, d},
                Rule.of("∂/∂g = h · d (0 where g is 0)", (h, out) -> upstreamTimes(h, d)),
                Rule.of("∂/∂d = h · g", (h, out) -> h.mul(g)));
    }

    /** {@code x + c}: ∂/∂x = g. */
    static Tensor addScalar(Tensor x, double c) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = d[i] + c;
        }
        return Recorder.record("add", Format.number(c), x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g", (g, out) -> g));
    }

    /** {@code c · x}: ∂/∂x = c · g. */
    static Tensor mulScalar(Tensor x, double c) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = d[i] * c;
        }
        return Recorder.record("mul", Format.number(c), x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · " + Format.number(c), (g, out) -> g.mul(c)));
    }

    /** {@code −x}: ∂/∂x = −g. */
    static Tensor neg(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = -d[i];
        }
        return Recorder.record("neg", null, x.shape(), r, new Tensor[] {x}, Rule.of("∂/∂x = −g", (g, out) -> g.neg()));
    }

    /** {@code x^p}: ∂/∂x = g · p · x^(p−1). */
    static Tensor pow(Tensor x, double p) {
        double[] d = x.data, r = new double[d.length];
        if (p == 2.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = d[i] * d[i];
            }
        } else if (p == -1.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = 1.0 / d[i];
            }
        } else {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.pow(d[i], p);
            }
        }
        String ps = Format.number(p);
        return Recorder.record("pow", ps, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · " + ps + " · x^(" + Format.number(p - 1) + ")",
                        (g, out) -> p == 1.0 ? g : p == 0.0 ? g.mul(0.0) : upstreamTimes(g, x.pow(p - 1).mul(p))));
    }

    /** {@code e^x}: ∂/∂x = g · e^x. */
    static Tensor exp(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.exp(d[i]);
        }
        return Recorder.record("exp", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · exp(x)", (g, out) -> g.mul(out)));
    }

    /** {@code log x}: ∂/∂x = g / x. */
    static Tensor log(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(d[i]);
        }
        return Recorder.record("log", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g / x", (g, out) -> upstreamTimes(g, x.pow(-1))));
    }

    /** {@code √x}: ∂/∂x = g / (2√x). */
    static Tensor sqrt(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.sqrt(d[i]);
        }
        return Recorder.record("sqrt", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g / (2·√x)", (g, out) -> upstreamTimes(g, out.pow(-1).mul(0.5))));
    }

    /** {@code |x|}: ∂/∂x = g · sign(x), with sign(0) = 0 (a subgradient). */
    static Tensor abs(Tensor x) {
        double[] d = x.data, r = new double[d.length], sign = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.abs(d[i]);
            sign[i] = Math.signum(d[i]);
        }
        Tensor s = Recorder.constant(x.shape(), sign);
        return Recorder.record("abs", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · sign(x)", (g, out) -> g.mul(s)));
    }

    /** {@code tanh x}: ∂/∂x = g · (1 − tanh²x). */
    static Tensor tanh(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.tanh(d[i]);
        }
        return Recorder.record("tanh", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · (1 − tanh²(x))", (g, out) -> g.mul(out.mul(out).neg().add(1.0))));
    }

    /** {@code σ(x)}, without overflow for large |x|: ∂/∂x = g · σ(x)(1 − σ(x)). */
    static Tensor sigmoid(Tensor x) {
        double[] d = x.data, r = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = sigmoid(d[i]);
        }
        return Recorder.record("sigmoid", null, x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · σ(x)·(1 − σ(x))", (g, out) -> g.mul(out.mul(out.neg().add(1.0)))));
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code x > 0 ? x : alpha·x} (relu when alpha = 0): ∂/∂x = g · (x > 0 ? 1 : alpha). */
    static Tensor leakyRelu(Tensor x, double alpha, String op) {
        double[] d = x.data, r = new double[d.length], slope = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            boolean on = d[i] > 0;
            r[i] = on ? d[i] : alpha * d[i];
            slope[i] = on ? 1.0 : alpha;
        }
        Tensor s = Recorder.constant(x.shape(), slope);
        String rule = alpha == 0 ? "∂/∂x = g · [x > 0]" : "∂/∂x = g · (x > 0 ? 1 : " + Format.number(alpha) + ")";
        return Recorder.record(op, alpha == 0 ? null : Format.number(alpha), x.shape(), r, new Tensor[] {x},
                Rule.of(rule, (g, out) -> g.mul(s)));
    }

    /** {@code x > 0 ? x : alpha·(e^x − 1)}: ∂/∂x = g · (x > 0 ? 1 : out + alpha). */
    static Tensor elu(Tensor x, double alpha) {
        double[] d = x.data, r = new double[d.length], pos = new double[d.length], neg = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            boolean on = d[i] > 0;
            r[i] = on ? d[i] : alpha * Math.expm1(d[i]);
            pos[i] = on ? 1.0 : 0.0;
            neg[i] = on ? 0.0 : 1.0;
        }
        Tensor p = Recorder.constant(x.shape(), pos), n = Recorder.constant(x.shape(), neg);
        return Recorder.record("elu", Format.number(alpha), x.shape(), r, new Tensor[] {x},
                Rule.of("∂/∂x = g · (x > 0 ? 1 : elu(x) + α)", (g, out) -> g.mul(out.add(alpha).mul(n).add(p))));
    }

    /**
     * Elementwise maximum (or minimum): ∂/∂a = g · [a wins], ∂/∂b = g · [b wins]; on ties
     * {@code a} wins, so exactly one operand receives each element's gradient. A NaN operand
     * wins (the result is NaN, as in numpy).
     */
    static Tensor extremum(Tensor a, Tensor b, boolean max) {
        String op = max ? "maximum" : "minimum";
        Tensor[] ab = aligned(op, a, b);
        double[] x = ab[0].data, y = ab[1].data, r = new double[x.length], wa = new double[x.length],
                wb = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            // NaN propagates, as numpy's maximum/minimum do: a NaN operand wins
            boolean aWins = Double.isNaN(x[i]) || !Double.isNaN(y[i]) && (max ? x[i] >= y[i] : x[i] <= y[i]);
            r[i] = aWins ? x[i] : y[i];
            wa[i] = aWins ? 1.0 : 0.0;
            wb[i] = aWins ? 0.0 : 1.0;
        }
        Tensor ma = Recorder.constant(ab[0].shape(), wa), mb = Recorder.constant(ab[0].shape(), wb);
        return Recorder.record(op, null, ab[0].shape(), r, ab,
                Rule.of("∂/∂a = g · [a chosen]", (g, out) -> g.mul(ma)),
                Rule.of("∂/∂b = g · [b chosen]", (g, out) -> g.mul(mb)));
    }
}
