package io.github.chainrule.autodiff;

/**
 * A training step whose graph is released when it closes, so that the next step writes its
 * results into that storage instead of into new arrays (which the JVM would first fill with
 * zeros):
 *
 * <pre>{@code
 * for (int i = 0; i < iterations; i++) {
 *     try (Step step = Step.open()) {
 *         Tensor cost = loss.cost(model.forward(x), y);
 *         Autograd.backward(cost, false);
 *         costs.add(cost.item());        // read what you need inside the step
 *         optimizer.step();
 *     }
 * }
 * }</pre>
 *
 * <p><b>What is released:</b> the results recorded on this thread while the step is open, that
 * is, those of operations with recording on and an input that tracks gradients: the graph the
 * step built, activations included, and the gradients that {@link Autograd#grad} or
 * {@link Autograd#vjp} returned with {@code createGraph} (they are graph too). Never released:
 * leaves (parameters, data), the gradients {@link Tensor#grad()} holds, results of {@code grad}
 * and {@code vjp} without {@code createGraph}, and values computed with recording off
 * ({@link Grad#disabled()}) or only from tensors that track no gradient.
 *
 * <p><b>After the step:</b> reading a released tensor's values, using it as an operand or
 * backpropagating through it fails with an {@link IllegalStateException} that names it and says
 * what to do; its {@code toString} says it was released. Its shape, name and operation stay
 * readable. To keep a value beyond the step, copy it inside with {@link Tensor#detach()}. The
 * step's results belong to its thread: another thread may read them only until the step closes
 * (closing while another thread reads is a data race, and that thread may see the next step's
 * numbers).
 *
 * <p>A step is never needed for correctness, only for speed: without one, results are ordinary
 * objects that the garbage collector frees once unreachable. With one, the storage goes to the
 * thread's spare arrays, which most operations write their results into (see
 * {@code SpareArrays}: at most 32 arrays and 16 MB per thread, the most recent; larger arrays are
 * left to the garbage collector). Steps nest (an inner step releases only its own results) and
 * are closed on the thread that opened them, innermost first; try-with-resources does both. This
 * is the pattern of DJL's {@code NDManager} and ND4J's workspaces, for storage on the Java heap.
 */
public final class Step implements AutoCloseable {
    private final ThreadState state;
    private final Step outer;
    private final int start;
    private boolean closed;

    private Step(ThreadState state) {
        this.state = state;
        this.outer = state.step;
        this.start = state.stepCount;
    }

    /** Opens a step on this thread; close it (try-with-resources) to release what it recorded. */
    public static Step open() {
        ThreadState state = ThreadState.get();
        Step step = new Step(state);
        state.step = step;
        return step;
    }

    /**
     * Releases the results recorded since this step opened (see the class comment). Closing twice
     * does nothing.
     *
     * @throws IllegalStateException if called on another thread than the one that opened the step
     *     (nothing is released then); or if a step opened inside this one was left open: it is
     *     closed with this one (all their results released, the thread out of both) before the
     *     exception reports it
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (ThreadState.get() != state) {
            Checks.state(false, "Step.close: a step must be closed on the thread that opened it (%s); use"
                    + " try-with-resources", Thread.currentThread().getName());
        }
        int abandoned = 0;
        for (Step s = state.step; s != this; s = s.outer) { // steps opened inside this one and never closed
            s.closed = true;
            abandoned++;
        }
        closed = true;
        Tensor[] results = state.stepResults;
        for (int i = state.stepCount - 1; i >= start; i--) {
            results[i].releaseStorage();
            results[i] = null;
        }
        state.stepCount = start;
        state.step = outer;
        if (abandoned > 0) {
            Checks.state(false, "Step.close: %d step(s) opened inside this one were never closed; their results were"
                    + " released with this step's; open steps with try-with-resources", abandoned);
        }
    }
}
