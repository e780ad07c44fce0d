package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reverse-mode engine. From an output it walks the graph backwards in topological order
 * (iteratively, so graphs of millions of nodes do not overflow the stack; a node comes only after
 * every node computed from it), applying
 * each operation's backward {@link Rule} to the gradient that reached it and summing the
 * contributions that reach a tensor along several paths ({@code b = x + x; c = b + b} gives
 * {@code dc/dx = 4}).
 *
 * <p>Without {@code createGraph} the rules run with recording off and build nothing; with it
 * they are recorded, so the returned gradients can be differentiated again (second
 * derivatives, Hessian-vector products).
 *
 * <p>{@link #grad} and {@link #vjp} refuse, as PyTorch does, an input that does not require
 * gradients or that the output does not depend on, unless {@code allowUnused} asks for zeros.
 */
public final class Autograd {
    private static final Tensor[] NO_INPUTS = new Tensor[0];

    private Autograd() {
    }

    /**
     * {@code output.backward()}: stores {@code ∂output/∂t} in {@code t.grad()} for every tensor of
     * the graph that tracks gradients. Leaves add to the gradient they already hold.
     *
     * <p>If the pass fails (an input changed in place since it was used, a NaN in anomaly mode),
     * no leaf's gradient changes, and the intermediates of the graph are left without gradients
     * rather than with a mix of old and new ones.
     *
     * @throws IllegalArgumentException if the output is not (1, 1) (the hint points to
     *     {@link #backward(Tensor, Tensor)} for an upstream gradient)
     * @throws IllegalStateException    if the output does not depend on any tensor that requires gradients
     */
    public static void backward(Tensor output) {
        backward(output, true);
    }

    /**
     * Like {@link #backward(Tensor)}; with {@code keepIntermediate = false} only leaves receive
     * gradients, so intermediate ones can be freed as soon as they are used (training loops
     * that never look at them).
     */
    public static void backward(Tensor output, boolean keepIntermediate) {
        checkScalar("backward", output);
        backward("backward", output, Tensor.ones(1, 1), keepIntermediate);
    }

    /**
     * Backpropagates a given upstream gradient {@code dA = ∂J/∂A} through {@code A = output}, as
     * the course's step-by-step notebook does layer by layer: stores in {@code t.grad()}, for
     * every tensor {@code t} of the graph that tracks gradients,
     * <pre>
     *   ∂J/∂t = Σ_ij dA_ij · ∂A_ij/∂t     (the vector-Jacobian product dAᵀ·∂A/∂t)
     * </pre>
     * so for {@code A = W·X + b} with {@code X (n_x, m)}: {@code dW = dA·Xᵀ}, {@code db = Σ_j dA}
     * (summed back over the broadcast columns), {@code dX = Wᵀ·dA}. With {@code dA} all ones it is
     * {@code output.sum().backward()}. Leaves add to the gradient they already hold; {@code output}'s
     * own gradient becomes a copy of {@code upstream}.
     *
     * @param output   {@code A}, of any shape
     * @param upstream {@code dA}, with exactly {@code A}'s shape; not modified
     * @throws IllegalArgumentException if {@code upstream}'s shape differs from {@code output}'s
     * @throws IllegalStateException    if the output does not depend on any tensor that requires gradients
     */
    public static void backward(Tensor output, Tensor upstream) {
        Checks.notNull(output, "backward", "output");
        Checks.notNull(upstream, "backward", "upstream gradient");
        if (!upstream.shape().equals(output.shape())) {
            Checks.argument(false, "backward: the upstream gradient %s must have the"
                    + " shape of %s %s (dA has A's shape)%s", upstream.shape(), output.label(), output.shape(),
                    upstream.shape().equals(output.shape().transposed()) ? "; hint: it looks transposed" : "");
        }
        backward("backward", output, upstream.detach(), true);
    }

    private static void backward(String op, Tensor output, Tensor seed, boolean keepIntermediate) {
        if (!output.requiresGrad()) {
            Checks.state(false, "%s: %s does not depend on any tensor that requires gradients;"
                    + " hint: mark the inputs with requiringGrad() before computing it", op, output.label());
        }
        Pass pass = new Pass(keepIntermediate);
        boolean done = false;
        try {
            propagate(output, seed, false, keepIntermediate, pass);
            try (Grad.Scope s = Grad.disabled()) {
                for (Tensor t : pass.leaves) {
                    Tensor g = t.pending;
                    t.pending = null;
                    t.pendingOwned = false;
                    Tensor held = t.storedGrad();
                    t.setGrad(gradientName(t, held != null ? held.add(g) : own(g)));
                }
            }
            done = true;
        } finally {
            if (!done) { // an exception: no gradient slot outlives the pass, no intermediate keeps a partial gradient
                release(pass.order);
                if (keepIntermediate) { // the whole graph: the pass may have stopped before reaching all of it
                    for (Tensor t : topologicalOrder(output, true)) {
                        if (!t.isLeaf()) {
                            t.setGrad(null);
                        }
                    }
                }
            }
        }
    }

    /**
     * What {@link #backward(String, Tensor, Tensor, boolean)} collects while the pass runs: an
     * intermediate's gradient is final when the pass processes it (every tensor computed from it
     * came first), so it is stored right there, while its objects are still in the cache;
     * leaves are stored only after the whole pass succeeded, since they add to what they hold.
     */
    private static final class Pass {
        final boolean keepIntermediate;
        final ArrayList<Tensor> leaves = new ArrayList<>();
        List<Tensor> order = List.of();

        Pass(boolean keepIntermediate) {
            this.keepIntermediate = keepIntermediate;
        }
    }

    /**
     * {@code g} itself when no other tensor holds it as its gradient (the pass made it), else a
     * copy: rules like add's pass the upstream gradient on as is, and no two tensors may share a
     * gradient object.
     */
    private static Tensor own(Tensor g) {
        Tensor mine = g.gradUse < 0 || g.node != null || g.requiresGrad() ? g.detach() : g;
        mine.gradUse = Tensor.HELD;
        return mine;
    }

    /**
     * The gradients {@code ∂output/∂input} for each input, without touching any {@code grad()}.
     * Like PyTorch's {@code torch.autograd.grad}, an input that does not require gradients, or
     * that the output does not depend on, is an error: its zero gradient would usually hide a
     * bug (a forgotten {@code requiringGrad()}, a parameter the model never uses).
     *
     * @param createGraph whether to record the backward pass so the result can be differentiated
     * @throws IllegalArgumentException if the output is not (1, 1), or naming the first input that
     *     does not require gradients or was not used to compute the output
     * @see #grad(Tensor, List, boolean, boolean)
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(output, inputs, createGraph, false);
    }

    /**
     * {@link #grad(Tensor, List, boolean)}; with {@code allowUnused}, an input that does not
     * require gradients or that the output does not depend on gets zeros of its shape
     * ({@code ∂output/∂input = 0}) instead of an error.
     *
     * @param createGraph whether to record the backward pass so the result can be differentiated
     * @param allowUnused whether unused inputs get zeros (true) or an error (false, as PyTorch's default)
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph, boolean allowUnused) {
        checkScalar("grad", output);
        return vjp("grad", output, Tensor.ones(1, 1), inputs, createGraph, allowUnused);
    }

    /**
     * The vector-Jacobian product {@code seedᵀ·∂output/∂input} for each input: the gradient of
     * {@code Σ seed ⊙ output}. {@code seed} has the output's shape. As with
     * {@link #grad(Tensor, List, boolean)}, an unused input is an error.
     *
     * @throws IllegalArgumentException if {@code seed}'s shape differs, or naming the first input
     *     that does not require gradients or was not used to compute the output
     */
    public static List<Tensor> vjp(Tensor output, Tensor seed, List<Tensor> inputs, boolean createGraph) {
        return vjp(output, seed, inputs, createGraph, false);
    }

    /**
     * {@link #vjp(Tensor, Tensor, List, boolean)}; with {@code allowUnused}, an input that does not
     * require gradients or that the output does not depend on gets zeros of its shape.
     */
    public static List<Tensor> vjp(Tensor output, Tensor seed, List<Tensor> inputs, boolean createGraph,
            boolean allowUnused) {
        return vjp("vjp", output, seed, inputs, createGraph, allowUnused);
    }

    private static List<Tensor> vjp(String op, Tensor output, Tensor seed, List<Tensor> inputs, boolean createGraph,
            boolean allowUnused) {
        Checks.notNull(output, op, "output");
        Checks.notNull(seed, op, "seed");
        Checks.notNull(inputs, op, "inputs");
        Checks.argument(seed.shape().equals(output.shape()), "%s: seed %s must have the output's shape %s",
                op, seed.shape(), output.shape());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = Checks.notNull(inputs.get(i), op, "input " + i);
            Checks.argument(allowUnused || in.requiresGrad(), "%s: %s does not require grad, so no gradient flows to"
                    + " it; hint: mark it with requiringGrad() before computing the output, or pass allowUnused ="
                    + " true to get zeros for it", op, describe(i, in));
        }
        List<Tensor> order = List.of();
        List<Tensor> result = new ArrayList<>(inputs.size());
        try {
            order = propagate(output, seed, createGraph, true, null);
            for (int i = 0; i < inputs.size(); i++) {
                Tensor in = inputs.get(i);
                Tensor g = in.mark == passOf(order) ? in.pending : null;
            Checks.argument(g != null || allowUnused, "%s: %s was not used to compute the output %s (it does not"
                    + " appear in its graph%s); hint: pass allowUnused = true to get zeros for it", op, describe(i, in),
                    output.shape(), output.requiresGrad() ? "" : ", which was not recorded: computed in a no-grad scope"
                    + " or from detached tensors");
                // without createGraph the results are plain values: copies, so no two share an object
                result.add(g == null ? Tensor.zeros(in.shape()) : createGraph ? g : g.detach());
            }
        } finally {
            release(order);
        }
        return result;
    }

    /** {@code input 1 "W" (2, 3)}: which input, for messages. */
    private static String describe(int index, Tensor t) {
        return "input " + index + (t.name() != null ? " \"" + t.name() + "\"" : "") + " " + t.shape();
    }

    /** Names a stored gradient in the course's notation: the gradient of {@code W[1]} is {@code dW[1]}. */
    private static Tensor gradientName(Tensor t, Tensor g) {
        String name = t.name();
        return name == null ? g : g.named(gradientNameOf(name));
    }

    /** The gradient names built so far ({@code "W[1]" → "dW[1]"}): a training loop names the same tensors every step. */
    private static final Map<String, String> GRADIENT_NAMES = new ConcurrentHashMap<>();
    /** At most this many cached names (names made per step, such as numbered ones, are then built each time). */
    private static final int GRADIENT_NAMES_CACHED = 1024;

    /** {@code "d" + name}, without building the text again on every backward pass. */
    static String gradientNameOf(String name) {
        String d = GRADIENT_NAMES.get(name);
        if (d == null) {
            d = "d" + name;
            if (GRADIENT_NAMES.size() < GRADIENT_NAMES_CACHED) {
                GRADIENT_NAMES.putIfAbsent(name, d);
            }
        }
        return d;
    }

    private static void checkScalar(String op, Tensor output) {
        Checks.notNull(output, op, "output");
        if (!output.shape().isScalar()) {
            Checks.argument(false, "%s: output must be 1×1, got %s; hint: reduce it with sum() or mean()"
                    + " first, or give the upstream gradient dA of the same shape: %s", op, output.shape(),
                    op.equals("backward") ? "backward(dA)" : "Autograd.vjp(output, dA, inputs, createGraph)");
        }
    }

    /** Numbers the backward passes; a tensor's {@code mark} says which pass last reached it. */
    private static final AtomicLong PASSES = new AtomicLong();

    /** The pass that produced {@code order} (its tensors carry its mark), or 0 for an empty order. */
    private static long passOf(List<Tensor> order) {
        return order.isEmpty() ? 0 : order.get(0).mark;
    }

    /**
     * Runs the backward pass: leaves in {@code t.pending} the gradient of every tracked tensor
     * {@code t} the output depends on (intermediates dropped as soon as they are used unless
     * kept), and returns those tensors, the output first. The caller reads the gradients, then
     * calls {@link #release}.
     *
     * <p>No sort and no maps. A tensor is processed once every tensor computed from it that the
     * output depends on has been: the {@link Frontier} of reached tensors hands out the one with
     * the largest number ({@link Node#seq}, which exceeds the numbers of the node's inputs). An
     * unprocessed consumer {@code c} of a tensor {@code t} lies on a path from the output, and the
     * first unprocessed tensor on that path is reached and is {@code c} or computed from it, so its
     * number is at least {@code c}'s and above {@code t}'s: {@code t} cannot come first. So the
     * pass touches each node once, where a topological sort first walked the
     * whole graph (on a graph of 1×1 tensors that walk was half the backward, in cache misses).
     * Each tensor carries its visit mark and its gradient slot. Without {@code createGraph}, a
     * gradient reaching a tensor along several paths is summed in place into a buffer the pass
     * allocated (never into a rule's result, which may be another tensor's gradient); with it,
     * the sum is recorded ({@code add}) so it can be differentiated. Two backward passes through
     * the same tensors must not run at the same time on different threads (they could not before
     * either: both write the leaves' gradients).
     */
    private static List<Tensor> propagate(Tensor output, Tensor seed, boolean createGraph, boolean keep, Pass storing) {
        if (!output.requiresGrad()) {
            return List.of();
        }
        long pass = PASSES.incrementAndGet();
        ArrayList<Tensor> reached = new ArrayList<>();
        if (storing != null) {
            storing.order = reached;
        }
        output.mark = pass;
        reached.add(output);
        output.pending = seed;
        output.pendingOwned = false;
        Frontier frontier = new Frontier();
        if (output.node != null) {
            frontier.push(output);
        } else if (storing != null) {
            storing.leaves.add(output);
        }
        // a training pass (nothing kept, nothing recorded) gives the storage of the gradients it is done with to
        // SpareArrays; the seed is held by the output throughout, so it is never given
        boolean reuse = !keep && !createGraph;
        if (reuse) {
            seed.gradUse = 1; // the engine's own seed (backward's ones)
        }
        boolean anomaly = Anomaly.isEnabled();
        boolean done = false;
        try (Grad.Scope s = createGraph ? Grad.enabled() : Grad.disabled();
                Grad.Scope b = anomaly ? Anomaly.duringBackward() : null) {
            while (!frontier.isEmpty()) {
                Tensor t = frontier.pop();
                t.checkNotReleased();
                Node node = t.node;
                Tensor g = t.pending;
                node.checkVersions(t);
                Tensor[] inputs = node.inputs;
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (!in.requiresGrad()) {
                        continue;
                    }
                    Tensor gi = node.backward(i, g, t);
                    if (anomaly) {
                        Anomaly.checkBackward(node, i, gi);
                    }
                    if (in.mark != pass) {
                        in.mark = pass;
                        reached.add(in);
                        if (in.node != null) {
                            frontier.push(in);
                        } else if (storing != null) {
                            storing.leaves.add(in);
                        }
                    }
                    accumulate(in, gi, createGraph, reuse);
                }
                if (storing != null) {
                    t.pending = null;
                    t.pendingOwned = false;
                    if (storing.keepIntermediate) {
                        t.setGrad(gradientName(t, own(g)));
                    } else {
                        drop(g, reuse);
                    }
                } else if (!keep && t != output) {
                    t.pending = null;
                    drop(g, reuse);
                }
            }
            done = true;
        } finally {
            if (!done && storing == null) { // vjp never sees the tensors of a failed pass: clear their slots here
                release(reached);
            }
        }
        return reached;
    }

    /**
     * The recorded tensors a backward pass has reached and not yet processed, the latest recorded
     * first: a binary max-heap on {@link Node#seq}, keys kept beside the tensors so that ordering
     * them reads no tensor.
     */
    private static final class Frontier {
        private long[] keys = new long[64];
        private Tensor[] tensors = new Tensor[64];
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void push(Tensor t) {
            long key = t.node.seq;
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, 2 * size);
                tensors = Arrays.copyOf(tensors, 2 * size);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] >= key) {
                    break;
                }
                keys[i] = keys[parent];
                tensors[i] = tensors[parent];
                i = parent;
            }
            keys[i] = key;
            tensors[i] = t;
        }

        Tensor pop() {
            Tensor top = tensors[0];
            int n = --size;
            long key = keys[n];
            Tensor last = tensors[n];
            tensors[n] = null;
            if (n > 0) {
                int i = 0;
                for (int child; (child = 2 * i + 1) < n; i = child) {
                    if (child + 1 < n && keys[child + 1] > keys[child]) {
                        child++;
                    }
                    if (keys[child] <= key) {
                        break;
                    }
                    keys[i] = keys[child];
                    tensors[i] = tensors[child];
                }
                keys[i] = key;
                tensors[i] = last;
            }
            return top;
        }
    }

    /**
     * Adds {@code gi} to the gradient {@code in} has received so far in this pass. Each gradient
     * counts the slots holding it ({@link Tensor#gradUse}): a rule may pass its upstream gradient
     * on as is (add's does, to both operands), so one object can sit in several slots.
     */
    private static void accumulate(Tensor in, Tensor gi, boolean createGraph, boolean reuse) {
        Tensor previous = in.pending;
        if (previous == null) {
            in.pending = gi;
            in.pendingOwned = false;
            hold(gi);
        } else if (createGraph || !previous.shape().equals(gi.shape())) {
            in.pending = previous.add(gi);
            in.pendingOwned = false;
            hold(in.pending);
            drop(previous, reuse);
        } else if (in.pendingOwned) {
            double[] a = previous.data(), b = gi.data();
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        } else {
            double[] a = previous.data(), b = gi.data(), r = SpareArrays.take(a.length);
            for (int j = 0; j < r.length; j++) {
                r[j] = a[j] + b[j];
            }
            in.pending = new Tensor(previous.shape(), r, null);
            in.pendingOwned = true;
            hold(in.pending);
            drop(previous, reuse);
        }
    }

    /** One more gradient slot holds {@code g} (stored gradients, with a negative use, are left alone). */
    private static void hold(Tensor g) {
        if (g.gradUse >= 0 && g.gradUse < Tensor.MANY_HOLDERS) {
            g.gradUse++;
        }
    }

    /**
     * One gradient slot no longer holds {@code g}; when none does, in a training pass, no one can
     * reach it any more (rules make fresh results or pass their upstream on, which the count sees;
     * the seed stays held by the output), so its storage goes to {@link SpareArrays}.
     */
    private static void drop(Tensor g, boolean reuse) {
        if (g.gradUse > 0 && g.gradUse < Tensor.MANY_HOLDERS && --g.gradUse == 0 && reuse) {
            g.gradUse = Tensor.HANDED_OUT;
            SpareArrays.give(g.data());
        }
    }

    /** Clears the gradient slots a pass left on {@code order}, so that no gradient outlives the pass there. */
    private static void release(List<Tensor> order) {
        for (Tensor t : order) {
            t.pending = null;
            t.pendingOwned = false;
        }
    }

    /**
     * The tensors {@code output} depends on, inputs before the tensors computed from them, in a
     * deterministic order (depth first, inputs in order). With {@code trackedOnly}, tensors that
     * do not track gradients are left out.
     */
    static List<Tensor> topologicalOrder(Tensor output, boolean trackedOnly) {
        return depthFirst(output, t -> t.node == null ? NO_INPUTS : t.node.inputs, in -> !trackedOnly || in.requiresGrad());
    }

    /**
     * Depth first from {@code output} without recursion (graphs of millions of nodes must not
     * overflow the stack): each tensor after its inputs ({@code inputsOf}, those that pass
     * {@code include}), each once, in a deterministic order.
     */
    static List<Tensor> depthFirst(Tensor output, java.util.function.Function<Tensor, Tensor[]> inputsOf,
            java.util.function.Predicate<Tensor> include) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Tensor[] stack = new Tensor[64];
        int[] next = new int[64];
        int top = 0;
        stack[0] = output;
        seen.put(output, Boolean.TRUE);
        while (top >= 0) {
            Tensor t = stack[top];
            int i = next[top];
            Tensor[] inputs = inputsOf.apply(t);
            if (i < inputs.length) {
                next[top] = i + 1;
                Tensor in = inputs[i];
                if (include.test(in) && seen.put(in, Boolean.TRUE) == null) {
                    if (++top == stack.length) {
                        stack = Arrays.copyOf(stack, 2 * top);
                        next = Arrays.copyOf(next, 2 * top);
                    }
                    stack[top] = in;
                    next[top] = 0;
                }
            } else {
                order.add(t);
                stack[top--] = null;
            }
        }
        return order;
    }
}
