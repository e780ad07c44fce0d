package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compares the gradients chainrule computes with central finite differences
 * {@code (f(x + ε) − f(x − ε)) / 2ε}, for any function of tensors:
 *
 * <pre>{@code
 * GradCheckReport r = GradCheck.of(xs -> xs.get(0).matmul(xs.get(1)).tanh().sum(), w, x);
 * r.assertPassed();
 * }</pre>
 *
 * <p>The function is called on copies of the inputs that track gradients; the originals and
 * their gradients are not touched. An output that is not (1, 1) is checked through its whole
 * Jacobian (one vector-Jacobian product per output element). For large inputs,
 * {@link #directions(int, long)} checks {@code ⟨v, J·u⟩} along random directions instead of
 * every element.
 *
 * <p>An entry passes when {@code |analytic − numeric| ≤ atol + rtol·|numeric|}. The report
 * also gives the course's {@code ‖g − g~‖ / (‖g‖ + ‖g~‖)}. Defaults: ε = 1e-6, atol = 1e-5,
 * rtol = 1e-3 (PyTorch's {@code gradcheck}); checks run in double precision. A GradCheck is
 * immutable: the setters return new instances.
 */
public final class GradCheck {
    private final double epsilon;
    private final double atol;
    private final double rtol;
    private final int directions;
    private final long seed;

    private GradCheck(double epsilon, double atol, double rtol, int directions, long seed) {
        this.epsilon = epsilon;
        this.atol = atol;
        this.rtol = rtol;
        this.directions = directions;
        this.seed = seed;
    }

    /** A check with the default settings, every element compared. */
    public static GradCheck defaults() {
        return new GradCheck(1e-6, 1e-5, 1e-3, 0, 0);
    }

    /** Checks {@code f} at {@code inputs} with the default settings. */
    public static GradCheckReport of(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return defaults().check(f, inputs);
    }

    /** The finite-difference step ε (> 0). */
    public GradCheck epsilon(double epsilon) {
        Checks.argument(epsilon > 0 && Double.isFinite(epsilon), "GradCheck: epsilon must be > 0, got %s", epsilon);
        return new GradCheck(epsilon, atol, rtol, directions, seed);
    }

    /** The tolerances of {@code |a − n| ≤ atol + rtol·|n|} (both ≥ 0). */
    public GradCheck tolerance(double atol, double rtol) {
        Checks.argument(atol >= 0 && rtol >= 0, "GradCheck: tolerances must be >= 0, got atol %s, rtol %s", atol, rtol);
        return new GradCheck(epsilon, atol, rtol, directions, seed);
    }

    /** Checks {@code count} random directions (seeded) instead of every element: for large inputs. */
    public GradCheck directions(int count, long seed) {
        Checks.argument(count > 0, "GradCheck: directions must be > 0, got %d", count);
        return new GradCheck(epsilon, atol, rtol, count, seed);
    }

    /** Runs the check of {@code f} at {@code inputs}, with chainrule's own gradients as the analytic side. */
    public GradCheckReport check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return run(f, null, inputs);
    }

    /**
     * Checks gradients you computed yourself (say, a hand-written backward pass) for a function
     * with a (1, 1) output: {@code claimed.get(i)} is your {@code ∂f/∂inputs[i]}. This is the
     * course's {@code gradient_check_n}; its difference over all inputs is
     * {@link GradCheckReport#difference()}.
     */
    public GradCheckReport compare(Function<List<Tensor>, Tensor> f, List<Tensor> claimed, Tensor... inputs) {
        Checks.notNull(claimed, "GradCheck", "claimed gradients");
        Checks.argument(claimed.size() == inputs.length, "GradCheck: %d claimed gradients for %d inputs",
                claimed.size(), inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            Checks.argument(Checks.notNull(claimed.get(i), "GradCheck", "claimed gradient " + i).shape()
                    .equals(inputs[i].shape()), "GradCheck: claimed gradient %d has shape %s but input %d is %s",
                    i, claimed.get(i).shape(), i, inputs[i].shape());
        }
        return run(f, claimed, inputs);
    }

    private GradCheckReport run(Function<List<Tensor>, Tensor> f, List<Tensor> claimed, Tensor... inputs) {
        Checks.notNull(f, "GradCheck", "function");
        Checks.notNull(inputs, "GradCheck", "inputs");
        Checks.argument(inputs.length > 0, "GradCheck: no inputs given");
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = Checks.notNull(inputs[i], "GradCheck", "input " + i);
            xs.add(in.detach().named(in.name() != null ? in.name() : "input " + i).requiringGrad());
        }
        Tensor out = Checks.notNull(f.apply(xs), "GradCheck", "the function's result");
        Checks.argument(claimed == null || out.shape().isScalar(),
                "GradCheck: comparing claimed gradients needs a (1, 1) output, got %s", out.shape());
        List<InputAccumulator> acc = new ArrayList<>();
        for (Tensor x : xs) {
            acc.add(new InputAccumulator());
        }
        if (directions == 0) {
            full(f, xs, out, claimed, acc);
        } else {
            random(f, xs, out, claimed, acc);
        }
        List<GradCheckReport.InputReport> reports = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            reports.add(acc.get(i).report(i, xs.get(i)));
        }
        return new GradCheckReport(reports, epsilon, atol, rtol,
                directions == 0 ? "full" : directions + " random directions");
    }

    /** The vector-Jacobian product {@code seedᵀ·J} from chainrule, or from the claimed gradients (scalar output). */
    private static List<Tensor> analytic(Tensor out, Tensor seed, List<Tensor> xs, List<Tensor> claimed) {
        if (claimed != null) {
            List<Tensor> scaled = new ArrayList<>();
            for (Tensor c : claimed) {
                scaled.add(c.detach().mul(seed.item()));
            }
            return scaled;
        }
        // a function may ignore an input: its analytic and numeric gradients are then both 0
        return out.requiresGrad() ? Autograd.vjp(out, seed, xs, false, true) : zerosLike(xs);
    }

    /** Every Jacobian entry: one vjp per output element, two evaluations per input element. */
    private void full(Function<List<Tensor>, Tensor> f, List<Tensor> xs, Tensor out, List<Tensor> claimed,
            List<InputAccumulator> acc) {
        int outputs = out.size();
        List<List<Tensor>> rows = new ArrayList<>(outputs);
        for (int o = 0; o < outputs; o++) {
            Tensor seed = Tensor.zeros(out.shape());
            seed.data()[o] = 1.0;
            rows.add(analytic(out, seed, xs, claimed));
        }
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            for (int e = 0; e < x.size(); e++) {
                double[] numeric = centralDifference(f, xs, i, unit(x, e));
                for (int o = 0; o < outputs; o++) {
                    String where = "(" + e / x.cols() + ", " + e % x.cols() + ")"
                            + (outputs > 1 ? " of output (" + o / out.cols() + ", " + o % out.cols() + ")" : "");
                    acc.get(i).add(rows.get(o).get(i).data()[e], numeric[o], where);
                }
            }
        }
    }

    /** ⟨v, J·u⟩ for random v (output-shaped) and u (input-shaped), per input. */
    private void random(Function<List<Tensor>, Tensor> f, List<Tensor> xs, Tensor out, List<Tensor> claimed,
            List<InputAccumulator> acc) {
        NumpyRandom rng = new NumpyRandom(seed);
        for (int d = 0; d < directions; d++) {
            Tensor v = Tensor.randn(out.rows(), out.cols(), rng);
            List<Tensor> g = analytic(out, v, xs, claimed);
            for (int i = 0; i < xs.size(); i++) {
                Tensor x = xs.get(i);
                Tensor u = Tensor.randn(x.rows(), x.cols(), rng);
                double analytic = dot(g.get(i).data(), u.data());
                double numeric = dot(v.data(), centralDifference(f, xs, i, u));
                acc.get(i).add(analytic, numeric, "direction " + d);
            }
        }
    }

    /** (f(x_i + εu) − f(x_i − εu)) / 2ε, elementwise over the output, with recording off. */
    private double[] centralDifference(Function<List<Tensor>, Tensor> f, List<Tensor> xs, int i, Tensor u) {
        Tensor x = xs.get(i);
        double[] saved = x.data().clone();
        try (Grad.Scope s = Grad.disabled()) {
            for (int e = 0; e < saved.length; e++) {
                x.data()[e] = saved[e] + epsilon * u.data()[e];
            }
            double[] plus = f.apply(xs).data().clone();
            for (int e = 0; e < saved.length; e++) {
                x.data()[e] = saved[e] - epsilon * u.data()[e];
            }
            double[] minus = f.apply(xs).data();
            double[] r = new double[plus.length];
            for (int o = 0; o < r.length; o++) {
                r[o] = (plus[o] - minus[o]) / (2 * epsilon);
            }
            return r;
        } finally {
            System.arraycopy(saved, 0, x.data(), 0, saved.length);
        }
    }

    private static Tensor unit(Tensor x, int e) {
        Tensor u = Tensor.zeros(x.shape());
        u.data()[e] = 1.0;
        return u;
    }

    private static List<Tensor> zerosLike(List<Tensor> xs) {
        List<Tensor> z = new ArrayList<>();
        for (Tensor x : xs) {
            z.add(Tensor.zeros(x.shape()));
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Running statistics of one input's comparisons. */
    private final class InputAccumulator {
        double maxAbs, maxRel, diffSq, analyticSq, numericSq, worstScore = Double.NEGATIVE_INFINITY;
        double worstAnalytic, worstNumeric;
        String worst = "-";
        boolean passed = true;

        void add(double analytic, double numeric, String where) {
            double err = Math.abs(analytic - numeric);
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            maxAbs = Math.max(maxAbs, err);
            maxRel = Math.max(maxRel, scale == 0 ? 0 : err / scale);
            diffSq += (analytic - numeric) * (analytic - numeric);
            analyticSq += analytic * analytic;
            numericSq += numeric * numeric;
            if (!(err <= atol + rtol * Math.abs(numeric))) {
                passed = false;
            }
            double score = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
            if (score > worstScore) {
                worstScore = score;
                worst = where;
                worstAnalytic = analytic;
                worstNumeric = numeric;
            }
        }

        GradCheckReport.InputReport report(int index, Tensor x) {
            double denominator = Math.sqrt(analyticSq) + Math.sqrt(numericSq);
            double difference = denominator == 0 ? 0 : Math.sqrt(diffSq) / denominator;
            return new GradCheckReport.InputReport(index, x.name(), x.shape(), maxAbs, maxRel, worst, worstAnalytic,
                    worstNumeric, difference, Math.sqrt(diffSq), Math.sqrt(analyticSq), Math.sqrt(numericSq), passed);
        }
    }
}
