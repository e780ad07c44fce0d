package io.github.chainrule.autodiff;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link GradCheck}: one {@link InputReport} per input, and whether all passed.
 *
 * @param inputs one report per input, in order
 * @param epsilon the finite-difference step used
 * @param absoluteTolerance the tolerance {@code atol} of the criterion
 * @param relativeTolerance the tolerance {@code rtol} of the criterion
 * @param mode {@code "full"} (every element) or {@code "k random directions"}
 */
public record GradCheckReport(List<InputReport> inputs, double epsilon, double absoluteTolerance,
        double relativeTolerance, String mode) {

    /**
     * How the analytic gradient of one input compares with central differences.
     *
     * @param index         the input's position
     * @param name          the input's name or {@code "input i"}
     * @param shape         the input's shape
     * @param maxAbsError   {@code max |analytic − numeric|}
     * @param maxRelError   {@code max |analytic − numeric| / max(|numeric|, |analytic|)} (0 when both are 0)
     * @param worst         where {@code |analytic − numeric|} is largest: {@code (row, col)} of the input, and
     *                      the output element or direction, as text
     * @param analyticAtWorst the analytic value there
     * @param numericAtWorst  the numeric value there
     * @param difference    the course's {@code ‖g − g~‖ / (‖g‖ + ‖g~‖)} over all compared entries (0 if both are 0)
     * @param errorNorm     {@code ‖g − g~‖}
     * @param analyticNorm  {@code ‖g‖}
     * @param numericNorm   {@code ‖g~‖}
     * @param passed        whether every entry satisfies {@code |a − n| ≤ atol + rtol·|n|}
     */
    public record InputReport(int index, String name, Shape shape, double maxAbsError, double maxRelError,
            String worst, double analyticAtWorst, double numericAtWorst, double difference, double errorNorm,
            double analyticNorm, double numericNorm, boolean passed) {
    }

    /** Whether every input passed. */
    public boolean passed() {
        return inputs.stream().allMatch(InputReport::passed);
    }

    /**
     * Throws an {@link AssertionError} with this report unless every input passed.
     *
     * @return this report
     */
    public GradCheckReport assertPassed() {
        if (!passed()) {
            throw new AssertionError("gradient check failed\n" + this);
        }
        return this;
    }

    /**
     * The course's {@code ‖g − g~‖ / (‖g‖ + ‖g~‖)} over all inputs together, as if their
     * gradients were stacked into one vector (the course's {@code gradient_check_n}).
     */
    public double difference() {
        double err = 0, a = 0, n = 0;
        for (InputReport r : inputs) {
            err += r.errorNorm() * r.errorNorm();
            a += r.analyticNorm() * r.analyticNorm();
            n += r.numericNorm() * r.numericNorm();
        }
        double denominator = Math.sqrt(a) + Math.sqrt(n);
        return denominator == 0 ? 0 : Math.sqrt(err) / denominator;
    }

    /** A table, one line per input. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "gradient check (%s, ε = %s, pass if |a − n| ≤ %s + %s·|n|): %s, difference %.3e%n", mode,
                Format.number(epsilon), Format.number(absoluteTolerance), Format.number(relativeTolerance),
                passed() ? "passed" : "FAILED", difference()));
        for (InputReport r : inputs) {
            b.append(String.format(Locale.ROOT,
                    "  %-4s %-10s %-9s max abs %.3e  max rel %.3e  difference %.3e  worst %s: analytic %s numeric %s%n",
                    r.passed() ? "ok" : "FAIL", r.name(), r.shape(), r.maxAbsError(), r.maxRelError(), r.difference(),
                    r.worst(), Format.number(r.analyticAtWorst()), Format.number(r.numericAtWorst())));
        }
        return b.toString();
    }
}
