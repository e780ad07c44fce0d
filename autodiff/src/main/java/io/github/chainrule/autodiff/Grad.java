package io.github.chainrule.autodiff;

/**
 * Per-thread switch for graph recording. Inside {@link #disabled()} operations compute values
 * only and remember no inputs, as optimizers need when they update parameters:
 *
 * <pre>{@code
 * try (var scope = Grad.disabled()) {
 *     w.addInPlace(w.grad(), -learningRate);
 * }
 * }</pre>
 */
public final class Grad {
    private Grad() {
    }

    /** Whether operations on this thread currently record the graph. */
    public static boolean isEnabled() {
        return ThreadState.get().gradEnabled;
    }

    /** Turns recording off on this thread until the returned scope is closed. */
    public static Scope disabled() {
        return set(false);
    }

    /** Turns recording on on this thread until the returned scope is closed (used for grad-of-grad). */
    public static Scope enabled() {
        return set(true);
    }

    private static Scope set(boolean on) {
        ThreadState state = ThreadState.get();
        boolean previous = state.gradEnabled;
        state.gradEnabled = on;
        return previous ? RESTORE_ON : RESTORE_OFF;
    }

    private static final Scope RESTORE_ON = () -> ThreadState.get().gradEnabled = true;
    private static final Scope RESTORE_OFF = () -> ThreadState.get().gradEnabled = false;

    /** A scope that restores the previous setting when closed; use it with try-with-resources. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
