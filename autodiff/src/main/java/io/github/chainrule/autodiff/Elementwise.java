package io.github.chainrule.autodiff;

import java.util.List;

/**
 * Elementwise primitives, each forward beside its derivative. Binary ops first expand their
 * operands to the broadcast shape ({@link Reductions#expand}), so the kernels here only ever
 * see equal shapes and never reduce a gradient themselves.
 */
final class Elementwise {
    private Elementwise() {
    }

    private static final Formula.Upstream G = Formula.g();
    private static final Formula.Input A = Formula.in(0, "a"), B = Formula.in(1, "b"), X = Formula.in(0, "x");

    /** Expands both operands to their broadcast shape; the one place binary ops (and fused losses) broadcast. */
    static Tensor[] aligned(String op, Tensor a, Tensor b) {
        Checks.notNull(a, op, "left operand");
        Checks.notNull(b, op, "right operand");
        Shape s = Shape.broadcast(op, a.shape(), b.shape());
        return new Tensor[] {Reductions.expand(a, s), Reductions.expand(b, s)};
    }

    /** {@code a + b}: ∂/∂a = g, ∂/∂b = g. */
    static final Rule[] ADD = {Rule.of("a", G, (g, out, n, i) -> g), Rule.of("b", G, (g, out, n, i) -> g)};

    static Tensor add(Tensor a, Tensor b) {
        Tensor[] ab = aligned("add", a, b);
        double[] x = ab[0].data(), y = ab[1].data(), r = SpareArrays.take(x.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = x[i] + y[i];
        }
        return Recorder.record(Primitive.ADD, Attrs.NONE, ab[0].shape(), r, ab);
    }

    /** {@code a ⊙ b}: ∂/∂a = g ⊙ b, ∂/∂b = g ⊙ a. */
    static final Rule[] MUL = {
        Rule.of("a", Formula.times(G, B), (g, out, n, i) -> Grad.isEnabled() ? g.mul(n.inputs[1]) : times(g, n.inputs[1])),
        Rule.of("b", Formula.times(G, A), (g, out, n, i) -> Grad.isEnabled() ? g.mul(n.inputs[0]) : times(g, n.inputs[0]))};

    /**
     * {@code g ⊙ x} as a plain value, for a backward pass that records nothing: the operands
     * already have the output's shape (mul's inputs were expanded before it saved them), so the
     * broadcasting checks and the recording of {@link #mul} are skipped. The same numbers as
     * {@code g.mul(x)}.
     */
    static Tensor times(Tensor g, Tensor x) {
        double[] a = g.data(), b = x.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * b[i];
        }
        return new Tensor(g.shape(), r, null);
    }

    /** {@code c · g} as a plain value, for a backward pass that records nothing (see {@link #times}). */
    static Tensor scaled(Tensor g, double c) {
        double[] a = g.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * c;
        }
        return new Tensor(g.shape(), r, null);
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor[] ab = aligned("mul", a, b);
        Tensor x = ab[0], y = ab[1];
        double[] xd = x.data(), yd = y.data(), r = SpareArrays.take(x.size());
        for (int i = 0; i < r.length; i++) {
            r[i] = xd[i] * yd[i];
        }
        return Recorder.record(Primitive.MUL, Attrs.NONE, x.shape(), r, ab);
    }

    /**
     * {@code g ⊙ d} for an upstream gradient {@code g} and a local derivative {@code d}, except
     * that where {@code g} is 0 the product is 0 even if {@code d} is infinite or NaN: no gradient
     * flows there, so none can turn into NaN (the unselected branch of a {@code maximum}, or
     * {@code log} at 0 behind a {@code relu}). With a = g and b = d: ∂/∂a = g ⊙ b (the same way),
     * ∂/∂b = g ⊙ a.
     */
    static final Rule[] UPSTREAM_TIMES = {
        Rule.of("a", Formula.seq(Formula.times(G, B), " (0 where ", A, " is 0)"),
                (h, out, n, i) -> upstreamTimes(h, n.inputs[1])),
        Rule.of("b", Formula.times(G, A), (h, out, n, i) -> h.mul(n.inputs[0]))};

    /**
     * Sets {@code r[i] = 0} where {@code g[i] == 0}: the guard of {@link #UPSTREAM_TIMES} as a
     * separate pass, so that the product before it is a branch-free loop C2 vectorizes (a
     * conditional inside keeps the whole loop, and its division, scalar).
     */
    static void zeroWhereUpstreamIsZero(double[] g, double[] r) {
        for (int i = 0; i < r.length; i++) {
            if (g[i] == 0) {
                r[i] = 0;
            }
        }
    }

    static Tensor upstreamTimes(Tensor g, Tensor d) {
        Checks.sameShape("upstreamTimes", g, d);
        double[] a = g.data(), b = d.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] == 0 ? 0 : a[i] * b[i];
        }
        return Recorder.record(Primitive.UPSTREAM_TIMES, Attrs.NONE, g.shape(), r, g, d);
    }

    /** {@code x + c}: ∂/∂x = g. */
    static final Rule[] ADD_CONSTANT = {Rule.of("x", G, (g, out, n, i) -> g)};

    static Tensor addScalar(Tensor x, double c) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = d[i] + c;
        }
        return Recorder.recordConstant(Primitive.ADD_CONSTANT, c, x.shape(), r, x);
    }

    /** {@code c · x}: ∂/∂x = c · g. */
    static final Rule[] MUL_CONSTANT = {Rule.of("x", Formula.times(G, Formula.param(Formula.Quantity.CONSTANT)),
            (g, out, n, i) -> Grad.isEnabled() ? g.mul(n.attrs.constant()) : scaled(g, n.attrs.constant()))};

    static Tensor mulScalar(Tensor x, double c) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = d[i] * c;
        }
        return Recorder.recordConstant(Primitive.MUL_CONSTANT, c, x.shape(), r, x);
    }

    /** {@code −x}: ∂/∂x = −g. */
    static final Rule[] NEG = {Rule.of("x", new Formula.Negation(G), (g, out, n, i) -> g.neg())};

    static Tensor neg(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = -d[i];
        }
        return Recorder.record(Primitive.NEG, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code x^p}: ∂/∂x = g · p · x^(p−1). */
    static final Rule[] POW = {Rule.of("x", Formula.times(G, Formula.param(Formula.Quantity.CONSTANT),
            Formula.seq(X, "^(", Formula.param(Formula.Quantity.CONSTANT_MINUS_ONE), ")")), (g, out, n, i) -> {
                double p = n.attrs.constant();
                if (p == 1.0) {
                    return g;
                }
                if (!Grad.isEnabled()) {
                    return powBackward(g, n.inputs[0], p);
                }
                return p == 0.0 ? g.mul(0.0) : upstreamTimes(g, n.inputs[0].pow(p - 1).mul(p));
            })};

    static Tensor pow(Tensor x, double p) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        powInto(d, p, r);
        return Recorder.recordConstant(Primitive.POW, p, x.shape(), r, x);
    }

    /** {@code r = d^p} elementwise; squares and reciprocals without {@code Math.pow}. */
    private static void powInto(double[] d, double p, double[] r) {
        if (p == 2.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = d[i] * d[i];
            }
        } else if (p == -1.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = 1.0 / d[i];
            }
        } else if (p == 1.0) {
            System.arraycopy(d, 0, r, 0, r.length);
        } else {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.pow(d[i], p);
            }
        }
    }

    // ---------------------------------------------------------------- fused backward kernels
    // Without createGraph (recording off), rules whose composed form takes several passes run one
    // loop instead, with the same arithmetic in the same order (so the same numbers). With
    // createGraph the composed Tensor-op form runs, so that it can be differentiated again.

    /** A plain result (no graph): backward rules call these only while recording is off. */
    private static Tensor plain(Shape shape, double[] r) {
        return new Tensor(shape, r, null);
    }

    /** {@code upstreamTimes(g, p·x^(p−1))} in one pass (and {@code g·0} for p = 0). */
    static Tensor powBackward(Tensor g, Tensor x, double p) {
        double[] a = g.data(), r = SpareArrays.take(a.length);
        if (p == 0.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = a[i] * 0.0;
            }
            return plain(g.shape(), r);
        }
        powInto(x.data(), p - 1, r);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * (r[i] * p);
        }
        zeroWhereUpstreamIsZero(a, r);
        return plain(g.shape(), r);
    }

    /** {@code g ⊙ (1 − out²)}. */
    static Tensor tanhBackward(Tensor g, Tensor out) {
        double[] a = g.data(), o = out.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * (-(o[i] * o[i]) + 1.0);
        }
        return plain(g.shape(), r);
    }

    /** {@code g ⊙ out ⊙ (1 − out)}. */
    static Tensor sigmoidBackward(Tensor g, Tensor out) {
        double[] a = g.data(), o = out.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * (o[i] * (-o[i] + 1.0));
        }
        return plain(g.shape(), r);
    }

    /** {@code upstreamTimes(g, x^−1)}. */
    static Tensor logBackward(Tensor g, Tensor x) {
        double[] a = g.data(), d = x.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * (1.0 / d[i]);
        }
        zeroWhereUpstreamIsZero(a, r);
        return plain(g.shape(), r);
    }

    /** {@code upstreamTimes(g, out^−1 · 0.5)}. */
    static Tensor sqrtBackward(Tensor g, Tensor out) {
        double[] a = g.data(), o = out.data(), r = SpareArrays.take(a.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] * ((1.0 / o[i]) * 0.5);
        }
        zeroWhereUpstreamIsZero(a, r);
        return plain(g.shape(), r);
    }

    /** {@code e^x}: ∂/∂x = g · e^x. */
    static final Rule[] EXP = {Rule.of("x", Formula.times(G, new Formula.Apply("exp", X)), (g, out, n, i) -> g.mul(out))};

    static Tensor exp(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        ArrayMath.exp(d, r);
        return Recorder.record(Primitive.EXP, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code log x}: ∂/∂x = g / x. */
    static final Rule[] LOG = {Rule.of("x", new Formula.Quotient(G, X),
            (g, out, n, i) -> Grad.isEnabled() ? upstreamTimes(g, n.inputs[0].pow(-1)) : logBackward(g, n.inputs[0]))};

    static Tensor log(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        ArrayMath.log(d, r);
        return Recorder.record(Primitive.LOG, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code √x}: ∂/∂x = g / (2√x). */
    static final Rule[] SQRT = {Rule.of("x", new Formula.Quotient(G, new Formula.Group(Formula.seq("2·√", X))),
            (g, out, n, i) -> Grad.isEnabled() ? upstreamTimes(g, out.pow(-1).mul(0.5)) : sqrtBackward(g, out))};

    static Tensor sqrt(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.sqrt(d[i]);
        }
        return Recorder.record(Primitive.SQRT, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code |x|}: ∂/∂x = g · sign(x), with sign(0) = 0 (a subgradient). */
    static final Rule[] ABS = {Rule.of("x", Formula.times(G, new Formula.Apply("sign", X)),
            (g, out, n, i) -> g.mul(n.attrs.saved()[0]))};

    static Tensor abs(Tensor x) {
        double[] d = x.data(), r = new double[d.length], sign = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.abs(d[i]);
            sign[i] = Math.signum(d[i]);
        }
        Tensor s = Recorder.constant(x.shape(), sign);
        return Recorder.record(Primitive.ABS, Attrs.saved(s), x.shape(), r, x);
    }

    /** {@code tanh x}: ∂/∂x = g · (1 − tanh²x). */
    static final Rule[] TANH = {Rule.of("x", Formula.times(G, new Formula.Group(Formula.seq("1 − tanh²(", X, ")"))),
            (g, out, n, i) -> Grad.isEnabled() ? g.mul(out.mul(out).neg().add(1.0)) : tanhBackward(g, out))};

    static Tensor tanh(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        ArrayMath.tanh(d, r);
        return Recorder.record(Primitive.TANH, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code σ(x)}, without overflow for large |x|: ∂/∂x = g · σ(x)(1 − σ(x)). */
    static final Rule[] SIGMOID = {Rule.of("x", Formula.times(G, new Formula.Product(List.of(new Formula.Apply("σ", X),
            new Formula.Group(Formula.seq("1 − ", new Formula.Apply("σ", X)))), "·")),
            (g, out, n, i) -> Grad.isEnabled() ? g.mul(out.mul(out.neg().add(1.0))) : sigmoidBackward(g, out))};

    static Tensor sigmoid(Tensor x) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        ArrayMath.sigmoid(d, r);
        return Recorder.record(Primitive.SIGMOID, Attrs.NONE, x.shape(), r, x);
    }

    /** {@code max(x, 0)}: ∂/∂x = g · [x > 0]. */
    static final Rule[] RELU = {Rule.of("x", Formula.times(G, Formula.seq("[", X, " > 0]")),
            (g, out, n, i) -> leakyReluRule(g, n))};
    /** {@code x > 0 ? x : alpha·x}: ∂/∂x = g · (x > 0 ? 1 : alpha). */
    static final Rule[] LEAKY_RELU = {Rule.of("x", Formula.times(G, new Formula.Group(Formula.seq(X, " > 0 ? 1 : ",
            Formula.param(Formula.Quantity.CONSTANT)))), (g, out, n, i) -> leakyReluRule(g, n))};

    /**
     * {@code x > 0 ? x : alpha·x} (relu when alpha = 0): ∂/∂x = g · (x > 0 ? 1 : alpha). The forward
     * saves no mask: the backward reads the slope off the saved input (so relu'(0) = 0 and
     * leakyRelu'(0) = alpha).
     */
    static Tensor leakyRelu(Tensor x, double alpha, Primitive op) {
        double[] d = x.data(), r = SpareArrays.take(d.length);
        // max forms: branch-free loops C2 vectorizes (a conditional stays scalar and mispredicts on mixed signs)
        if (alpha == 0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.max(d[i], 0.0); // numpy's maximum(Z, 0): +0 for negative inputs, NaN stays NaN
            }
        } else if (alpha > 0 && alpha <= 1) {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.max(d[i], alpha * d[i]); // = x > 0 ? x : alpha·x for 0 < alpha ≤ 1, signed zeros included
            }
        } else {
            for (int i = 0; i < r.length; i++) {
                double v = d[i];
                r[i] = v > 0 ? v : alpha * v;
            }
        }
        return Recorder.recordConstant(op, alpha, x.shape(), r, x);
    }

    /** Scales a positive double to at least 1 (the smallest subnormal is 2⁻¹⁰⁷⁴), in two steps as 2¹⁰⁷⁴ overflows. */
    private static final double TO_ONE_A = 0x1p1000, TO_ONE_B = 0x1p74;

    /**
     * The rule of relu and leakyRelu, {@code g ⊙ slope} with {@code slope = x > 0 ? 1 : alpha}: one
     * pass without createGraph; with it, {@code g.mul(slope)} recorded with the slope as a constant.
     */
    private static Tensor leakyReluRule(Tensor g, Node n) {
        double alpha = n.attrs.constant();
        double[] x = n.inputs[0].data();
        if (!Grad.isEnabled() && Double.isFinite(alpha)) {
            double[] a = g.data(), r = SpareArrays.take(a.length);
            // slope = x > 0 ? 1 : alpha without a conditional, so that the loop vectorizes:
            // on = 1 for x > 0, 0 for x ≤ 0 (±0 included), NaN for NaN; then on·1 + (1 − on)·alpha exactly
            for (int i = 0; i < r.length; i++) {
                double on = Math.min(Math.max(x[i] * TO_ONE_A * TO_ONE_B, 0.0), 1.0);
                r[i] = a[i] * (on + (1.0 - on) * alpha);
            }
            for (int i = 0; i < r.length; i++) {
                if (x[i] != x[i]) { // NaN > 0 is false: the slope there is alpha, as with the comparison
                    r[i] = a[i] * alpha;
                }
            }
            return plain(g.shape(), r);
        }
        double[] slope = new double[x.length];
        for (int i = 0; i < slope.length; i++) {
            slope[i] = x[i] > 0 ? 1.0 : alpha;
        }
        return g.mul(Recorder.constant(n.inputs[0].shape(), slope));
    }

    /** {@code x > 0 ? x : alpha·(e^x − 1)}: ∂/∂x = g · (x > 0 ? 1 : out + alpha). */
    static final Rule[] ELU = {Rule.of("x", Formula.times(G, new Formula.Group(Formula.seq(X, " > 0 ? 1 : elu(", X,
            ") + α"))), (g, out, n, i) -> g.mul(out.add(n.attrs.constant()).mul(n.attrs.saved()[1]).add(n.attrs.saved()[0])))};

    static Tensor elu(Tensor x, double alpha) {
        double[] d = x.data(), r = new double[d.length], pos = new double[d.length], neg = new double[d.length];
        for (int i = 0; i < r.length; i++) {
            boolean on = d[i] > 0;
            r[i] = on ? d[i] : alpha * Math.expm1(d[i]);
            pos[i] = on ? 1.0 : 0.0;
            neg[i] = on ? 0.0 : 1.0;
        }
        Tensor p = Recorder.constant(x.shape(), pos), n = Recorder.constant(x.shape(), neg);
        return Recorder.record(Primitive.ELU, Attrs.constantAndSaved(alpha, p, n), x.shape(), r, x);
    }

    /**
     * Elementwise maximum (or minimum): ∂/∂a = g · [a wins], ∂/∂b = g · [b wins]; on ties
     * {@code a} wins, so exactly one operand receives each element's gradient. A NaN operand
     * wins (the result is NaN, as in numpy).
     */
    static final Rule[] EXTREMUM = {
        Rule.of("a", Formula.times(G, Formula.seq("[", A, " chosen]")), (g, out, n, i) -> g.mul(n.attrs.saved()[0])),
        Rule.of("b", Formula.times(G, Formula.seq("[", B, " chosen]")), (g, out, n, i) -> g.mul(n.attrs.saved()[1]))};

    static Tensor extremum(Tensor a, Tensor b, boolean max) {
        Primitive p = max ? Primitive.MAXIMUM : Primitive.MINIMUM;
        String op = p.opName();
        Tensor[] ab = aligned(op, a, b);
        double[] x = ab[0].data(), y = ab[1].data(), r = new double[x.length], wa = new double[x.length],
                wb = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            // NaN propagates, as numpy's maximum/minimum do: a NaN operand wins
            boolean aWins = Double.isNaN(x[i]) || !Double.isNaN(y[i]) && (max ? x[i] >= y[i] : x[i] <= y[i]);
            r[i] = aWins ? x[i] : y[i];
            wa[i] = aWins ? 1.0 : 0.0;
            wb[i] = aWins ? 0.0 : 1.0;
        }
        Tensor ma = Recorder.constant(ab[0].shape(), wa), mb = Recorder.constant(ab[0].shape(), wb);
        return Recorder.record(p, Attrs.saved(ma, mb), ab[0].shape(), r, ab);
    }
}
