package io.github.chainrule.nn.train;

/**
 * Thrown by {@link Trainer#fit} when a mini-batch's cost or a parameter's gradient is NaN or
 * infinite. The message names the epoch, the iteration and the first parameter (in the model's
 * registration order, e.g. {@code hidden1.W}) whose gradient is not finite. The failing step is
 * not applied, so the model keeps the parameters from before it; {@link #history()} holds what
 * was recorded up to the failure.
 */
public class TrainingDivergedException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long iteration;
    private final String parameter;
    private final transient History history;

    TrainingDivergedException(String message, int epoch, long iteration, String parameter, History history) {
        super(message);
        this.epoch = epoch;
        this.iteration = iteration;
        this.parameter = parameter;
        this.history = history;
    }

    /** The 0-based epoch of the failing step. */
    public int epoch() {
        return epoch;
    }

    /** The 0-based iteration (mini-batch step counted over all epochs) that failed. */
    public long iteration() {
        return iteration;
    }

    /** The first parameter with a non-finite gradient, or {@code null} if all gradients were finite. */
    public String parameter() {
        return parameter;
    }

    /** The history up to (not including) the failing step. */
    public History history() {
        return history;
    }
}
