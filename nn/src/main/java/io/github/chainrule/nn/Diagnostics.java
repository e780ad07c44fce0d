package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Primitive;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Health checks a learner runs on a model after a forward and a backward pass: per layer, how
 * many sigmoid/tanh units are saturated, how many ReLUs are dead, and whether the weight
 * gradients vanish or explode, each with a plain-text verdict.
 *
 * <pre>{@code
 * Tensor cost = Losses.BINARY_CROSS_ENTROPY.cost(model.forward(x), y);
 * cost.backward();
 * System.out.println(Diagnostics.of(model));
 * }</pre>
 *
 * <p>Definitions: an activation value is <i>saturated</i> when its derivative is below 5% of
 * the function's largest derivative (sigmoid: {@code a(1−a) < 0.0125}, i.e. {@code |z| > 4.4};
 * tanh: {@code 1 − a² < 0.05}); a ReLU unit is <i>dead</i> when it outputs 0 for every example
 * of the last batch. A gradient is <i>vanishing</i> when {@code ‖dW‖ < 1e-7·max(‖W‖, 1)} and
 * <i>exploding</i> when it is not finite or {@code ‖dW‖ > 1e3·max(‖W‖, 1)} (Frobenius norms).
 */
public final class Diagnostics {
    /** Derivative below this fraction of its maximum counts as saturated. */
    public static final double SATURATION = 0.05;
    /** A layer with more than this fraction of saturated or dead units gets a warning verdict. */
    public static final double WARN_FRACTION = 0.5;
    /** Relative gradient norm below which gradients vanish. */
    public static final double VANISHING = 1e-7;
    /** Relative gradient norm above which gradients explode. */
    public static final double EXPLODING = 1e3;

    private Diagnostics() {
    }

    /**
     * One layer's numbers; {@code NaN} where a measure does not apply (no sigmoid/tanh, no ReLU,
     * no forward or backward yet).
     *
     * @param layer             the layer's display name
     * @param activation        the activation's name
     * @param units             {@code n[l]}
     * @param saturatedFraction fraction of sigmoid/tanh outputs of the last batch that are saturated
     * @param deadFraction      fraction of ReLU units dead on the whole last batch
     * @param gradNorm          {@code ‖dW[l]‖}
     * @param weightNorm        {@code ‖W[l]‖}
     * @param verdicts          plain-text findings, {@code "ok"} when none
     */
    public record LayerReport(String layer, String activation, int units, double saturatedFraction,
            double deadFraction, double gradNorm, double weightNorm, List<String> verdicts) {
    }

    /** The per-layer reports; {@link #toString()} prints them as a table followed by the verdicts. */
    public record Report(List<LayerReport> layers) {
        /** Whether every layer's verdict is {@code "ok"}. */
        public boolean healthy() {
            return layers.stream().allMatch(l -> l.verdicts().equals(List.of("ok")));
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%-12s %-10s %6s %10s %8s %11s %11s%n", "layer",
                    "activation", "units", "saturated", "dead", "|dW|", "|W|"));
            for (LayerReport l : layers) {
                s.append(String.format(java.util.Locale.ROOT, "%-12s %-10s %6d %10s %8s %11s %11s%n", l.layer(), l.activation(), l.units(),
                        percent(l.saturatedFraction()), percent(l.deadFraction()), number(l.gradNorm()),
                        number(l.weightNorm())));
            }
            for (LayerReport l : layers) {
                for (String v : l.verdicts()) {
                    s.append(l.layer()).append(": ").append(v).append('\n');
                }
            }
            return s.toString();
        }

        private static String percent(double f) {
            return Double.isNaN(f) ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * f);
        }

        private static String number(double x) {
            return Double.isNaN(x) ? "-" : String.format(java.util.Locale.ROOT, "%.3e", x);
        }
    }

    /** Diagnoses every {@link Dense}, {@link Maxout} and {@link ActivationLayer} of {@code model}, depth first. */
    public static Report of(Module model) {
        Checks.notNull(model, "Diagnostics.of", "model");
        List<LayerReport> out = new ArrayList<>();
        collect(model, out);
        return new Report(List.copyOf(out));
    }

    private static void collect(Module m, List<LayerReport> out) {
        LayerReport own = m.diagnose();
        if (own != null) {
            out.add(own);
        }
        for (Map.Entry<String, Module> child : m.children().entrySet()) {
            collect(child.getValue(), out);
        }
    }

    /** What can be measured of an activation's outputs. */
    private enum Measure {
        SIGMOID_SATURATION, TANH_SATURATION, DEAD_UNITS, NONE
    }

    /** The measure for the primitive an activation is ({@code null}: softmax, identity, custom, maxout). */
    private static Measure measure(Primitive p) {
        if (p == null) {
            return Measure.NONE;
        }
        return switch (p) {
            case SIGMOID -> Measure.SIGMOID_SATURATION;
            case TANH -> Measure.TANH_SATURATION;
            case RELU -> Measure.DEAD_UNITS;
            case ADD, ADD_CONSTANT, MUL, MUL_CONSTANT, UPSTREAM_TIMES, NEG, POW, EXP, LOG, SQRT, ABS, LEAKY_RELU, ELU,
                    MAXIMUM, MINIMUM, TRANSPOSE, RESHAPE, SLICE, PAD, SELECT_COLUMNS, SCATTER_COLUMNS, CONCAT, EXPAND,
                    SUM, SUM_AXIS, MAX_AXIS, MATMUL, MATMUL_RIGHT_TRANSPOSED, MATMUL_LEFT_TRANSPOSED,
                    SIGMOID_CROSS_ENTROPY, BINARY_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY -> Measure.NONE;
        };
    }

    /** One layer's report; {@code fn} is null for a maxout layer (which has no activation and keeps no output). */
    static LayerReport layer(String name, Activation fn, int units, Tensor a, Tensor w) {
        String activation = fn == null ? "maxout" : fn.name();
        Measure measure = measure(fn == null ? null : fn.primitive());
        List<String> verdicts = new ArrayList<>();
        double saturated = Double.NaN, dead = Double.NaN;
        if (a != null && (measure == Measure.SIGMOID_SATURATION || measure == Measure.TANH_SATURATION)) {
            boolean sigmoid = measure == Measure.SIGMOID_SATURATION;
            double[] v = a.toRowMajorArray();
            int count = 0;
            for (double x : v) {
                double derivative = sigmoid ? x * (1 - x) / 0.25 : 1 - x * x;
                count += derivative < SATURATION ? 1 : 0;
            }
            saturated = (double) count / v.length;
            if (saturated > WARN_FRACTION) {
                verdicts.add(String.format(java.util.Locale.ROOT, "saturated: %.1f%% of %s outputs sit where the derivative is below 5%% of"
                        + " its maximum, so little gradient passes; hint: smaller initial weights"
                        + " (Initializer.XAVIER) or standardized inputs", 100 * saturated, activation));
            }
        }
        if (a != null && measure == Measure.DEAD_UNITS) {
            int deadUnits = 0;
            for (int r = 0; r < a.rows(); r++) {
                boolean allZero = true;
                for (int c = 0; c < a.cols() && allZero; c++) {
                    allZero = a.get(r, c) <= 0;
                }
                deadUnits += allZero ? 1 : 0;
            }
            dead = (double) deadUnits / a.rows();
            if (dead > WARN_FRACTION) {
                verdicts.add(String.format(java.util.Locale.ROOT, "dead ReLUs: %d of %d units output 0 for every example, so they get no"
                        + " gradient; hint: Initializer.HE, a lower learning rate or leaky ReLU", deadUnits, a.rows()));
            }
        }
        double gradNorm = Double.NaN, weightNorm = Double.NaN;
        if (w != null) {
            weightNorm = norm(w);
            if (w.hasGrad()) {
                gradNorm = norm(w.grad());
                double scale = Math.max(weightNorm, 1);
                if (!Double.isFinite(gradNorm)) {
                    verdicts.add("exploding: " + w.name() + " has a non-finite gradient; hint: lower the learning"
                            + " rate, check the cost for log(0)");
                } else if (gradNorm > EXPLODING * scale) {
                    verdicts.add(String.format(java.util.Locale.ROOT, "exploding: |d%s| = %.3e is more than %.0e times |%s|; hint: smaller"
                            + " initial weights or learning rate, or gradient clipping", w.name(), gradNorm, EXPLODING,
                            w.name()));
                } else if (gradNorm < VANISHING * scale) {
                    verdicts.add(String.format(java.util.Locale.ROOT, "vanishing: |d%s| = %.3e; this layer barely learns; hint: ReLU hidden"
                            + " layers with Initializer.HE, or batch normalization", w.name(), gradNorm));
                }
            } else {
                verdicts.add("no gradient yet: call backward() on the cost first");
            }
        }
        if (a == null && fn != null) {
            verdicts.add("no forward yet: call forward() first");
        }
        if (verdicts.isEmpty()) {
            verdicts.add("ok");
        }
        return new LayerReport(name, activation, units, saturated, dead, gradNorm, weightNorm, List.copyOf(verdicts));
    }

    /** The Frobenius norm, scaled by the largest entry so that huge gradients do not overflow to ∞. */
    private static double norm(Tensor t) {
        double[] v = t.toRowMajorArray();
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double s = 0;
        for (double x : v) {
            s += (x / max) * (x / max);
        }
        return max * Math.sqrt(s);
    }
}
