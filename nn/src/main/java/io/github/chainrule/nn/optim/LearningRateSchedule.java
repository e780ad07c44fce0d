package io.github.chainrule.nn.optim;

import io.github.chainrule.autodiff.Checks;

/**
 * The learning rate as a function of the initial rate {@code α₀} and the epoch number
 * (0-based). The trainer follows the course's optimization notebook: after epoch {@code i}
 * finishes it sets the optimizer's rate to {@code rate(α₀, i)}, so epoch {@code i + 1} trains
 * with it (and epoch 0 with {@code α₀}).
 *
 * <p>Built-in schedules (all return {@code α₀} at epoch 0):
 * <ul>
 *   <li>{@link #constant()}: {@code α₀};</li>
 *   <li>{@link #inverseTime(double)}: {@code α₀ / (1 + decay·epoch)} (the course's {@code update_lr});</li>
 *   <li>{@link #inverseTimeStepped(double, int)}: {@code α₀ / (1 + decay·⌊epoch / k⌋)}, the rate
 *       changing only every {@code k} epochs (the course's {@code schedule_lr_decay});</li>
 *   <li>{@link #exponential(double)}: {@code α₀ · base^epoch} (the lecture's {@code 0.95^epoch · α₀});</li>
 *   <li>{@link #stepDecay(double, int)}: {@code α₀ · factor^⌊epoch / k⌋} (PyTorch's {@code StepLR}).</li>
 * </ul>
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate for epoch {@code epoch} (0-based) given the initial rate {@code initialRate}.
     * Must be positive and finite.
     */
    double rate(double initialRate, int epoch);

    /** {@code α₀} at every epoch. */
    static LearningRateSchedule constant() {
        return (a0, epoch) -> a0;
    }

    /**
     * {@code α₀ / (1 + decay·epoch)}.
     *
     * @throws IllegalArgumentException if {@code decay} is negative or not finite
     */
    static LearningRateSchedule inverseTime(double decay) {
        checkDecay("inverseTime", decay);
        return (a0, epoch) -> a0 / (1 + decay * epoch);
    }

    /**
     * {@code α₀ / (1 + decay·⌊epoch / everyEpochs⌋)}: the course's fixed-interval scheduling.
     *
     * @throws IllegalArgumentException if {@code decay < 0} or {@code everyEpochs < 1}
     */
    static LearningRateSchedule inverseTimeStepped(double decay, int everyEpochs) {
        checkDecay("inverseTimeStepped", decay);
        Checks.argument(everyEpochs >= 1, "inverseTimeStepped: everyEpochs must be at least 1, got %d", everyEpochs);
        return (a0, epoch) -> a0 / (1 + decay * Math.floorDiv(epoch, everyEpochs));
    }

    /**
     * {@code α₀ · base^epoch}.
     *
     * @throws IllegalArgumentException unless {@code 0 < base ≤ 1}
     */
    static LearningRateSchedule exponential(double base) {
        Checks.argument(base > 0 && base <= 1, "exponential: base must be in (0, 1], got %s", base);
        return (a0, epoch) -> a0 * Math.pow(base, epoch);
    }

    /**
     * {@code α₀ · factor^⌊epoch / everyEpochs⌋}.
     *
     * @throws IllegalArgumentException unless {@code 0 < factor ≤ 1} and {@code everyEpochs ≥ 1}
     */
    static LearningRateSchedule stepDecay(double factor, int everyEpochs) {
        Checks.argument(factor > 0 && factor <= 1, "stepDecay: factor must be in (0, 1], got %s", factor);
        Checks.argument(everyEpochs >= 1, "stepDecay: everyEpochs must be at least 1, got %d", everyEpochs);
        return (a0, epoch) -> a0 * Math.pow(factor, Math.floorDiv(epoch, everyEpochs));
    }

    private static void checkDecay(String op, double decay) {
        Checks.argument(decay >= 0 && Double.isFinite(decay), "%s: decay must be a non-negative finite number,"
                + " got %s", op, decay);
    }
}
