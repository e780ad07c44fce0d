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
 */
public final class Autograd {
    private static final Tensor[] NO_INPUTS = new Tensor[0];

    private Autograd() {
    }

    /**
     * {@code output.backward()}: stores {@code ∂output/∂t} in {@code t.grad()} for every tensor of
     * the graph that tracks gradients. Leaves add to the gradient they already hold.
     *
     * @throws IllegalArgumentException if the output is not (1, 1)
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
        Checks.state(output.requiresGrad(), "backward: %s does not depend on any tensor that requires gradients;"
                + " hint: mark the inputs with requiringGrad() before computing it", output.label());
        Map<Tensor, Tensor> grads = propagate(output, Tensor.ones(1, 1), false, keepIntermediate);
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
     * An input the output does not depend on gets zeros.
     *
     * @param createGraph whether to record the backward pass so the result can be differentiated
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        checkScalar("grad", output);
        return vjp(output, Tensor.ones(1, 1), inputs, createGraph);
    }

    /**
     * The vector-Jacobian product {@code seedᵀ·∂output/∂input} for each input: the gradient of
     * {@code Σ seed ⊙ output}. {@code seed} has the output's shape.
     */
    public static List<Tensor> vjp(Tensor output, Tensor seed, List<Tensor> inputs, boolean createGraph) {
        Checks.notNull(output, "grad", "output");
        Checks.notNull(seed, "grad", "seed");
        Checks.notNull(inputs, "grad", "inputs");
        Checks.argument(seed.shape().equals(output.shape()), "grad: seed %s must have the output's shape %s",
                seed.shape(), output.shape());
        Map<Tensor, Tensor> grads = propagate(output, seed, createGraph, true);
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (Tensor in : inputs) {
            Checks.notNull(in, "grad", "input");
            Tensor g = grads.get(in);
            // without createGraph the results are plain values: copies, so no two share an object
            result.add(g == null ? Tensor.zeros(in.shape()) : createGraph ? g : g.detach());
        }
        return result;
    }

    /** Names a stored gradient in the course's notation: the gradient of {@code W[1]} is {@code dW[1]}. */
    private static Tensor gradientName(Tensor t, Tensor g) {
        return t.name() == null ? g : g.named("d" + t.name());
    }

    private static void checkScalar(String op, Tensor output) {
        Checks.notNull(output, op, "output");
        Checks.argument(output.shape().isScalar(),
                "%s: output must be 1×1, got %s; hint: reduce it with sum() or mean() first", op, output.shape());
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
                    Tensor gi = node.rules[i].derivative().apply(g, t);
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
            Tensor[] inputs = t.node == null ? NO_INPUTS : t.node.inputs;
            if (i < inputs.length) {
                next.set(top, i + 1);
                Tensor in = inputs[i];
                if ((!trackedOnly || in.requiresGrad()) && seen.put(in, Boolean.TRUE) == null) {
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
