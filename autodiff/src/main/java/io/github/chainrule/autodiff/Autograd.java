package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode engine. From an output it orders the graph topologically (iteratively, so
 * graphs of millions of nodes do not overflow the stack), then walks it in reverse, applying
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
        Checks.argument(upstream.shape().equals(output.shape()), "backward: the upstream gradient %s must have the"
                + " shape of %s %s (dA has A's shape)%s", upstream.shape(), output.label(), output.shape(),
                upstream.shape().equals(output.shape().transposed()) ? "; hint: it looks transposed" : "");
        backward("backward", output, upstream.detach(), true);
    }

    private static void backward(String op, Tensor output, Tensor seed, boolean keepIntermediate) {
        Checks.state(output.requiresGrad(), "%s: %s does not depend on any tensor that requires gradients;"
                + " hint: mark the inputs with requiringGrad() before computing it", op, output.label());
        Map<Tensor, Tensor> grads = propagate(output, seed, false, keepIntermediate);
        try (Grad.Scope s = Grad.disabled()) {
            for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
                Tensor t = e.getKey();
                // a copy, so that no two tensors share a gradient object (rules like add's pass g on as is)
                Tensor g = e.getValue().detach();
                if (t.isLeaf()) {
                    t.setGrad(gradientName(t, t.hasGrad() ? t.grad().add(g) : g));
                } else if (keepIntermediate) {
                    t.setGrad(gradientName(t, g));
                }
            }
        }
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
        Map<Tensor, Tensor> grads = propagate(output, seed, createGraph, true);
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            Tensor g = grads.get(in);
            Checks.argument(g != null || allowUnused, "%s: %s was not used to compute the output %s (it does not"
                    + " appear in its graph%s); hint: pass allowUnused = true to get zeros for it", op, describe(i, in),
                    output.shape(), output.requiresGrad() ? "" : ", which was not recorded: computed in a no-grad scope"
                    + " or from detached tensors");
            // without createGraph the results are plain values: copies, so no two share an object
            result.add(g == null ? Tensor.zeros(in.shape()) : createGraph ? g : g.detach());
        }
        return result;
    }

    /** {@code input 1 "W" (2, 3)}: which input, for messages. */
    private static String describe(int index, Tensor t) {
        return "input " + index + (t.name() != null ? " \"" + t.name() + "\"" : "") + " " + t.shape();
    }

    /** Names a stored gradient in the course's notation: the gradient of {@code W[1]} is {@code dW[1]}. */
    private static Tensor gradientName(Tensor t, Tensor g) {
        return t.name() == null ? g : g.named("d" + t.name());
    }

    private static void checkScalar(String op, Tensor output) {
        Checks.notNull(output, op, "output");
        Checks.argument(output.shape().isScalar(), "%s: output must be 1×1, got %s; hint: reduce it with sum() or mean()"
                + " first, or give the upstream gradient dA of the same shape: %s", op, output.shape(),
                op.equals("backward") ? "backward(dA)" : "Autograd.vjp(output, dA, inputs, createGraph)");
    }

    /** The gradient of every tracked tensor the output depends on (intermediates dropped unless kept). */
    private static Map<Tensor, Tensor> propagate(Tensor output, Tensor seed, boolean createGraph, boolean keep) {
        List<Tensor> order = topologicalOrder(output, true);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        if (!output.requiresGrad()) {
            return grads;
        }
        grads.put(output, seed);
        boolean anomaly = Anomaly.isEnabled();
        try (Grad.Scope s = createGraph ? Grad.enabled() : Grad.disabled();
                Grad.Scope b = anomaly ? Anomaly.duringBackward() : null) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Node node = t.node;
                Tensor g = node == null ? null : grads.get(t);
                if (g == null) {
                    continue;
                }
                node.checkVersions(t);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (!in.requiresGrad()) {
                        continue;
                    }
                    Tensor gi = node.backward(i, g, t);
                    if (anomaly) {
                        Anomaly.checkBackward(node, i, gi);
                    }
                    Tensor previous = grads.get(in);
                    grads.put(in, previous == null ? gi : previous.add(gi));
                }
                if (!keep && t != output) {
                    grads.remove(t);
                }
            }
        }
        return grads;
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
        List<Tensor> stack = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        stack.add(output);
        next.add(0);
        seen.put(output, Boolean.TRUE);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int i = next.get(top);
            Tensor[] inputs = inputsOf.apply(t);
            if (i < inputs.length) {
                next.set(top, i + 1);
                Tensor in = inputs[i];
                if (include.test(in) && seen.put(in, Boolean.TRUE) == null) {
                    stack.add(in);
                    next.add(0);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order;
    }
}
