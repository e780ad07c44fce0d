package io.github.chainrule.autodiff;

/**
 * Creates an operation's result: attaches the graph node when recording is on and an input
 * tracks gradients, and runs the anomaly check on the forward value.
 */
final class Recorder {
    private Recorder() {
    }

    /**
     * Test seam for the mutation check (autodiff's {@code RuleMutationTest}), never set in normal
     * use: when non-null, the backward rules of every recorded operation pass through it, so that
     * a test can list the rules the suite reaches or swap one for a deliberately wrong version and
     * see the gradient properties fail. Package-private, so user code cannot set it; when unset it
     * costs one field read per recorded operation.
     */
    static volatile RuleHook ruleHook;

    /** See {@link #ruleHook}. */
    @FunctionalInterface
    interface RuleHook {
        /** The rules to record for {@code primitive} on {@code inputs}: {@code rules} itself or replacements. */
        Rule[] rules(Primitive primitive, Tensor[] inputs, Rule[] rules);
    }

    /**
     * Starts a call of {@code kind}: nodes recorded until {@link #exit} carry it. Returns what
     * {@link #exit} needs, or {@code null} when nothing is recorded (gradients off).
     */
    static Composite.Call enter(Composite kind) {
        ThreadState state = ThreadState.get();
        if (!state.gradEnabled) {
            return null;
        }
        Composite.Call call = new Composite.Call(kind, state.composite);
        state.composite = call;
        return call;
    }

    /** The composite call running on this thread (the innermost), or {@code null}; for the op table's completeness test. */
    static Composite.Call currentComposite() {
        return ThreadState.get().composite;
    }

    /** Ends {@code call} (from {@link #enter}; null is ignored). */
    static void exit(Composite.Call call) {
        if (call != null) {
            ThreadState.get().composite = call.parent();
        }
    }

    /**
     * @param attrs the call's parameters ({@link Attrs#NONE} if none)
     * @param data  the result's elements; ownership passes to the new tensor
     */
    static Tensor record(Primitive primitive, Attrs attrs, Shape shape, double[] data, Tensor... inputs) {
        return record(ThreadState.get(), primitive, attrs, shape, data, inputs);
    }

    /**
     * {@link #record} for an operation whose one parameter is the constant {@code c}
     * ({@link Attrs#constant}). The attributes are made only when a node is recorded, and a
     * thread recording the same constant again (a loop of {@code mul(0.5)}) shares one immutable
     * {@code Attrs}: a graph of a million such nodes holds one.
     */
    static Tensor recordConstant(Primitive primitive, double c, Shape shape, double[] data, Tensor x) {
        ThreadState state = ThreadState.get();
        Attrs attrs = Attrs.NONE;
        if (state.gradEnabled && x.requiresGrad()) {
            attrs = state.lastConstant;
            if (attrs == null || Double.doubleToRawLongBits(attrs.constant()) != Double.doubleToRawLongBits(c)) {
                attrs = Attrs.constant(c);
                state.lastConstant = attrs;
            }
        }
        return record(state, primitive, attrs, shape, data, x);
    }

    private static Tensor record(ThreadState state, Primitive primitive, Attrs attrs, Shape shape, double[] data,
            Tensor... inputs) {
        boolean recording = state.gradEnabled;
        boolean track = false;
        if (recording) {
            for (Tensor in : inputs) {
                if (in.requiresGrad()) {
                    track = true;
                    break;
                }
            }
        }
        boolean anomaly = state.anomaly && !state.inBackward;
        String site = anomaly ? Anomaly.userSite() : null;
        Node node = null;
        if (track) {
            Rule[] rules = primitive.rules;
            RuleHook hook = ruleHook;
            long seq = state.clock;
            for (Tensor in : inputs) {
                Node n = in.node;
                if (n != null && n.seq > seq) {
                    seq = n.seq;
                }
            }
            state.clock = ++seq;
            node = new Node(primitive, attrs, inputs, hook != null ? hook.rules(primitive, inputs, rules) : rules, site,
                    state.composite, seq);
        }
        Tensor out = new Tensor(shape, data, node);
        if (track && state.step != null) {
            state.recordedInStep(out);
        }
        if (!track && recording) {
            Composite.Call call = state.composite;
            if (call != null) {
                boolean internal = true;
                for (Tensor in : inputs) {
                    internal &= in.internal;
                }
                // computed only from a composite's own constants: one of them; else a part the graph does not show
                if (internal) {
                    out.internal = true;
                } else {
                    out.madeInside = call;
                }
            }
        }
        if (anomaly) {
            Anomaly.checkForward(primitive.opName(), inputs, out, site);
        }
        return out;
    }

    /** A constant (no graph) of the given shape, used for masks inside backward rules. */
    static Tensor constant(Shape shape, double[] data) {
        return Tensor.wrap(shape, data);
    }
}
