package io.github.chainrule.autodiff;

import com.google.common.collect.ImmutableList;
import com.google.common.graph.GraphBuilder;
import com.google.common.graph.ImmutableGraph;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of the graph that computed a tensor, for drawings and explanations: every
 * tensor the output was computed from (including constants), inputs before the tensors
 * computed from them, with ids that are stable for the same graph (depth first, inputs in
 * order; the output has the largest id).
 */
public final class ComputationGraph {
    private final ImmutableList<GraphNode> nodes;
    /** consumers.get(id): the nodes that use node {@code id} as an input, in id order, once each. */
    private final ImmutableList<ImmutableList<GraphNode>> consumers;
    /** The same nodes and edges as a Guava graph, made when first asked for. */
    private ImmutableGraph<GraphNode> graph;

    private ComputationGraph(List<GraphNode> nodes) {
        this.nodes = ImmutableList.copyOf(nodes);
        List<List<GraphNode>> users = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            users.add(new ArrayList<>());
        }
        for (GraphNode n : nodes) {
            for (GraphNode in : n.inputs()) {
                List<GraphNode> u = users.get(in.id());
                if (u.isEmpty() || u.get(u.size() - 1) != n) {
                    u.add(n);
                }
            }
        }
        ImmutableList.Builder<ImmutableList<GraphNode>> b = ImmutableList.builderWithExpectedSize(nodes.size());
        for (List<GraphNode> u : users) {
            b.add(ImmutableList.copyOf(u));
        }
        this.consumers = b.build();
    }

    /**
     * The graph as a Guava {@link ImmutableGraph}: directed, an edge from each input to the node
     * computed from it (a node using an input twice has one edge), nodes in id order. Guava's
     * algorithms then apply, e.g. {@code Graphs.reachableNodes(g.asGraph(), x)} for what {@code x} feeds.
     */
    public synchronized ImmutableGraph<GraphNode> asGraph() {
        if (graph == null) {
            ImmutableGraph.Builder<GraphNode> b = GraphBuilder.directed().allowsSelfLoops(false)
                    .expectedNodeCount(nodes.size()).<GraphNode>immutable();
            for (GraphNode n : nodes) {
                b.addNode(n);
                for (GraphNode in : n.inputs()) {
                    b.putEdge(in, n);
                }
            }
            graph = b.build();
        }
        return graph;
    }

    /** The graph that computed {@code output}: every primitive operation a node of its own. */
    public static ComputationGraph of(Tensor output) {
        Checks.notNull(output, "ComputationGraph", "output");
        List<Tensor> order = Autograd.topologicalOrder(output, false);
        Map<Tensor, GraphNode> byTensor = new IdentityHashMap<>();
        List<GraphNode> nodes = new ArrayList<>(order.size());
        for (Tensor t : order) {
            List<GraphNode> inputs = new ArrayList<>();
            if (t.node != null) {
                for (Tensor in : t.node.inputs) {
                    inputs.add(byTensor.get(in));
                }
            }
            GraphNode n = new GraphNode(nodes.size(), t, inputs, null, null);
            byTensor.put(t, n);
            nodes.add(n);
        }
        return new ComputationGraph(nodes);
    }

    /**
     * The graph that computed {@code output} with each call of a {@link Composite} (outermost
     * calls; {@code a − b}, {@code softmax(z)}) as one node: its {@link GraphNode#composite()} is
     * set, its inputs are the tensors the call read from outside (not the constants it made for
     * itself), and its {@link GraphNode#backwardStep} runs the primitives' rules inside it.
     */
    public static ComputationGraph collapsed(Tensor output) {
        Checks.notNull(output, "ComputationGraph", "output");
        List<Tensor> expanded = Autograd.topologicalOrder(output, false);
        // the output of each outermost call: its member computed last
        Map<Composite.Call, Tensor> outputs = new IdentityHashMap<>();
        for (Tensor t : expanded) {
            Composite.Call c = call(t);
            if (c != null) {
                outputs.put(c, t);
            }
        }
        Map<Tensor, Tensor[]> viewInputs = new IdentityHashMap<>();
        Map<Tensor, List<Tensor>> members = new IdentityHashMap<>();
        for (Map.Entry<Composite.Call, Tensor> e : outputs.entrySet()) {
            List<Tensor> inside = new ArrayList<>();
            List<Tensor> outside = new ArrayList<>();
            Map<Tensor, Boolean> seen = new IdentityHashMap<>();
            List<Tensor> stack = new ArrayList<>(List.of(e.getValue()));
            seen.put(e.getValue(), Boolean.TRUE);
            while (!stack.isEmpty()) {
                Tensor t = stack.remove(stack.size() - 1);
                inside.add(t);
                Tensor[] in = t.node.inputs;
                for (int i = in.length - 1; i >= 0; i--) {
                    if (seen.put(in[i], Boolean.TRUE) == null) {
                        if (call(in[i]) == e.getKey()) {
                            stack.add(in[i]);
                        } else if (!in[i].internal) {
                            outside.add(in[i]);
                        }
                    }
                }
            }
            // inputs in the order a reader writes them: depth first from the output, first operand first
            List<Tensor> ordered = new ArrayList<>();
            for (Tensor t : Autograd.topologicalOrder(e.getValue(), false)) {
                if (outside.stream().anyMatch(o -> o == t)) {
                    ordered.add(t);
                }
            }
            if (ordered.stream().anyMatch(t -> t.madeInside != null && t.madeInside.outermost() == e.getKey())) {
                continue; // part of the call computed without a graph (a constant operand): drawn expanded
            }
            viewInputs.put(e.getValue(), ordered.toArray(new Tensor[0]));
            List<Tensor> sorted = new ArrayList<>();
            for (int k = expanded.size() - 1; k >= 0; k--) {
                Tensor t = expanded.get(k);
                if (inside.stream().anyMatch(m -> m == t)) {
                    sorted.add(t);
                }
            }
            members.put(e.getValue(), sorted);
        }
        List<Tensor> order = Autograd.depthFirst(output,
                t -> viewInputs.getOrDefault(t, t.node == null ? new Tensor[0] : t.node.inputs), t -> true);
        Map<Tensor, GraphNode> byTensor = new IdentityHashMap<>();
        List<GraphNode> nodes = new ArrayList<>(order.size());
        for (Tensor t : order) {
            List<GraphNode> inputs = new ArrayList<>();
            Tensor[] in = viewInputs.getOrDefault(t, t.node == null ? new Tensor[0] : t.node.inputs);
            for (Tensor i : in) {
                inputs.add(byTensor.get(i));
            }
            Composite.Call c = call(t);
            GraphNode n = new GraphNode(nodes.size(), t, inputs, c == null ? null : c.kind(), members.get(t));
            // (a call left expanded has no members: its primitives are nodes of their own)
            byTensor.put(t, n);
            nodes.add(n);
        }
        return new ComputationGraph(nodes);
    }

    /** The outermost composite call that recorded {@code t}, or null. */
    private static Composite.Call call(Tensor t) {
        return t.node == null || t.node.composite == null ? null : t.node.composite.outermost();
    }


    /** All nodes in topological order (inputs first); {@code nodes().get(i).id() == i}. */
    public List<GraphNode> nodes() {
        return nodes;
    }

    /** The node of the output tensor (the last one). */
    public GraphNode output() {
        return nodes.get(nodes.size() - 1);
    }

    /** The nodes that use {@code node} as an input, in id order, each once. */
    public List<GraphNode> consumers(GraphNode node) {
        Checks.argument(node != null && node.id() < nodes.size() && nodes.get(node.id()) == node,
                "consumers: %s is not a node of this graph", node);
        return consumers.get(node.id());
    }
}
