package io.github.chainrule.autodiff;

/**
 * The per-thread switches of the engine in one object, so that recording an operation reads one
 * thread-local instead of four: whether the graph is recorded ({@link Grad}), anomaly mode and
 * whether backward rules are running ({@link Anomaly}), the composite call running
 * ({@link Recorder#enter}), the open {@link Step} and the results recorded in it.
 */
final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);

    boolean gradEnabled = true;
    boolean anomaly;
    boolean inBackward;
    Composite.Call composite;
    /** The constant attributes this thread recorded last, shared by the next call with the same constant. */
    Attrs lastConstant;
    /** The largest {@link Node#seq} this thread has recorded or seen as an input. */
    long clock;
    /** The innermost {@link Step} open on this thread, or {@code null}. */
    Step step;
    /** The results recorded while a step is open, oldest first ({@link #stepCount} of them). */
    Tensor[] stepResults = new Tensor[0];
    int stepCount;

    /** Remembers {@code t}, recorded while a step is open, for the step to release. */
    void recordedInStep(Tensor t) {
        if (stepCount == stepResults.length) {
            stepResults = java.util.Arrays.copyOf(stepResults, Math.max(64, 2 * stepCount));
        }
        stepResults[stepCount++] = t;
    }

    private ThreadState() {
    }

    static ThreadState get() {
        return CURRENT.get();
    }
}
