package io.github.chainrule.autodiff;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tensor of a {@link ComputationGraph}: its id, name, the operation that computed it (none
 * for a leaf), its inputs, its value, its gradient after a backward pass, and for each input
 * the backward rule as text and as a function.
 */
public final class GraphNode {
    private final int id;
    private final Tensor tensor;
    private final List<GraphNode> inputs;
    /** For a collapsed composite call: which composite, and its primitives' tensors, output first (reverse topological order). */
    private final Composite composite;
    private final List<Tensor> members;

    GraphNode(int id, Tensor tensor, List<GraphNode> inputs, Composite composite, List<Tensor> members) {
        this.id = id;
        this.tensor = tensor;
        this.inputs = ImmutableList.copyOf(inputs);
        this.composite = members == null ? null : composite;
        this.members = members;
    }

    /**
     * The composite this node stands for in a {@link ComputationGraph#collapsed} graph ({@code a − b}
     * as one node), or {@code null} for a leaf or a primitive operation.
     */
    public Composite composite() {
        return composite;
    }

    /**
     * The outermost composite whose call recorded this primitive operation (in an expanded
     * graph: {@link Composite#SUB} for the {@code neg} and the {@code add} of {@code a − b}), or {@code null}.
     */
    public Composite partOf() {
        Node n = tensor.node;
        return n == null || n.composite == null ? null : n.composite.outermost().kind();
    }

    /** Position in the graph's topological order. */
    public int id() {
        return id;
    }

    /** The tensor's name, or {@code null}. */
    public String name() {
        return tensor.name();
    }

    /** The name of the operation that computed the tensor ({@code "mul"}, {@code "matmul"}...), or {@code null} for a leaf. */
    public String op() {
        return composite != null ? composite.opName() : tensor.node == null ? null : tensor.node.op();
    }

    /** The primitive that computed the tensor, or {@code null} for a leaf or a {@link #composite()}. */
    public Primitive primitive() {
        return composite != null || tensor.node == null ? null : tensor.node.primitive;
    }

    /** The operation's parameter as text (the constant of {@code mul 3}, the axis of a sum...), or {@code null}. */
    public String detail() {
        return composite != null || tensor.node == null ? null : tensor.node.primitive.detail(tensor.node, tensor.shape());
    }

    /**
     * The operation's constant: the {@code c} of {@code x + c} and {@code c · x}, an exponent, a slope, the
     * axis of a reduction or concatenation; {@code NaN} for a leaf or an operation without one.
     */
    public double constant() {
        return composite != null || tensor.node == null ? Double.NaN : tensor.node.attrs.constant();
    }

    /**
     * The backward rule's formula for input {@code input} as a value; render it with
     * {@link Formula#render} (its parameters through {@link #param}).
     */
    public Formula formula(int input) {
        checkInput("formula", input);
        Checks.state(composite == null, "formula: %s is a composite (%s) and has no formula of its own", this, composite);
        return tensor.node.primitive.formula(input);
    }

    /** How a parameter of this node's formulas reads for input {@code input} ({@code (2, 3)}, {@code [0:1, :]}, {@code 3}). */
    public String param(Formula.Param p, int input) {
        checkInput("param", input);
        return tensor.node.param(p, input);
    }

    /** Whether this is a leaf (created directly, not by an operation). */
    public boolean isLeaf() {
        return tensor.node == null;
    }

    /** Whether gradients flow to this tensor. */
    public boolean requiresGrad() {
        return tensor.requiresGrad();
    }

    /** The shape of the value. */
    public Shape shape() {
        return tensor.shape();
    }

    /** A copy of the value (a new leaf with the tensor's name): changing it cannot change the graph. */
    public Tensor value() {
        return tensor.detach();
    }

    /** Whether a backward pass stored a gradient here. */
    public boolean hasGrad() {
        return tensor.hasGrad();
    }

    /** The stored gradient; see {@link Tensor#grad()}. */
    public Tensor grad() {
        return tensor.grad();
    }

    /** The inputs of the operation, in order (empty for a leaf). */
    public List<GraphNode> inputs() {
        return inputs;
    }

    /** For each input, the backward rule as plain text, e.g. {@code "∂/∂a = g · b"}. */
    public List<String> rules() {
        List<String> out = new ArrayList<>();
        if (tensor.node != null && composite == null) {
            for (int i = 0; i < inputs.size(); i++) {
                out.add(tensor.node.rule(i).text(tensor.node, i));
            }
        }
        return ImmutableList.copyOf(out);
    }

    private void checkInput(String op, int input) {
        Checks.state(tensor.node != null, "%s: %s is a leaf and has no inputs", op, tensor.label());
        Checks.argument(input >= 0 && input < inputs.size(), "%s: input %d of %s, which has %d inputs",
                op, input, op(), inputs.size());
    }

    /**
     * Applies the backward rule of input {@code input} to {@code upstream} (a gradient with this
     * node's shape): the contribution this edge sends back, in the input's shape. With an
     * upstream of ones on a scalar graph this is the local derivative ∂this/∂input.
     */
    public Tensor backwardStep(int input, Tensor upstream) {
        checkInput("backwardStep", input);
        Checks.notNull(upstream, "backwardStep", "upstream");
        Checks.argument(upstream.shape().equals(shape()), "backwardStep: upstream %s must have the node's shape %s",
                upstream.shape(), shape());
        try (Grad.Scope s = Grad.disabled()) {
            if (composite == null) {
                return tensor.node.backward(input, upstream, tensor);
            }
            // the primitives' rules inside the composite, from its output back to the input asked for
            Tensor target = inputs.get(input).tensor;
            Map<Tensor, Tensor> grads = new IdentityHashMap<>();
            grads.put(tensor, upstream);
            Tensor result = null;
            for (Tensor t : members) {
                Tensor g = grads.get(t);
                if (g == null) {
                    continue;
                }
                for (int i = 0; i < t.node.inputs.length; i++) {
                    Tensor in = t.node.inputs[i];
                    if (in == target) {
                        Tensor c = t.node.backward(i, g, t);
                        result = result == null ? c : result.add(c);
                    } else if (in.requiresGrad()) {
                        grads.merge(in, t.node.backward(i, g, t), Tensor::add);
                    }
                }
            }
            return result != null ? result : Tensor.zeros(target.shape());
        }
    }

    /** The local derivative ∂this/∂input for (1, 1) nodes: {@link #backwardStep} with an upstream of 1. */
    public double localDerivative(int input) {
        Checks.argument(shape().isScalar() && inputs.get(input).shape().isScalar(),
                "localDerivative: defined for (1, 1) nodes and inputs, got %s from %s", shape(), inputs.get(input).shape());
        return backwardStep(input, Tensor.ones(1, 1)).item();
    }

    @Override
    public String toString() {
        return "#" + id + " " + (name() != null ? name() : op() != null ? op() : "leaf") + " " + shape();
    }
}
