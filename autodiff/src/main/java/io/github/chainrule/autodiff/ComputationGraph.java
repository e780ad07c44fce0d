package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.Collections;
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
    private final List<GraphNode> nodes;
    /** consumers.get(id): the nodes that use node {@code id} as an input, in id order, once each. */
    private final List<List<GraphNode>> consumers;

    private ComputationGraph(List<GraphNode> nodes) {
        this.nodes = Collections.unmodifiableList(nodes);
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
        this.consumers = users;
    }

    /** The graph that computed {@code output}. */
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
            GraphNode n = new GraphNode(nodes.size(), t, inputs);
            byTensor.put(t, n);
            nodes.add(n);
        }
        return new ComputationGraph(nodes);
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
        return Collections.unmodifiableList(consumers.get(node.id()));
    }
}
