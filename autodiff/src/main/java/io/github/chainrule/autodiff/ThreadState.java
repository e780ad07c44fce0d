package io.github.chainrule.autodiff;

/**
 * The per-thread switches of the engine in one object, so that recording an operation reads one
 * thread-local instead of four: whether the graph is recorded ({@link Grad}), anomaly mode and
 * whether backward rules are running ({@link Anomaly}), the composite call running
 * ({@link Recorder#enter}).
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

    private ThreadState() {
    }

    static ThreadState get() {
        return CURRENT.get();
    }
}
