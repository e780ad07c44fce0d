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
     * @param worst         where the criterion is worst: {@code (row, col)} of the input, and the output
     *                      element or direction, as text
     * @param analyticAtWorst the analytic value there
     * @param numericAtWorst  the numeric value there
     * @param difference    the course's {@code ‖g − g~‖ / (‖g‖ + ‖g~‖)} over all compared entries (0 if both are 0)
     * @param passed        whether every entry satisfies {@code |a − n| ≤ atol + rtol·|n|}
     */
    public record InputReport(int index, String name, Shape shape, double maxAbsError, double maxRelError,
            String worst, double analyticAtWorst, double numericAtWorst, double difference, boolean passed) {
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

    /** The largest course difference over the inputs. */
    public double maxDifference() {
        return inputs.stream().mapToDouble(InputReport::difference).max().orElse(0);
    }

    /** A table, one line per input. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "gradient check (%s, ε = %s, pass if |a − n| ≤ %s + %s·|n|)%n", mode, Format.number(epsilon),
                Format.number(absoluteTolerance), Format.number(relativeTolerance)));
        for (InputReport r : inputs) {
            b.append(String.format(Locale.ROOT,
                    "  %-4s %-10s %-9s max abs %.3e  max rel %.3e  difference %.3e  worst %s: analytic %s numeric %s%n",
                    r.passed() ? "ok" : "FAIL", r.name(), r.shape(), r.maxAbsError(), r.maxRelError(), r.difference(),
                    r.worst(), Format.number(r.analyticAtWorst()), Format.number(r.numericAtWorst())));
        }
        return b.toString();
    }
}
