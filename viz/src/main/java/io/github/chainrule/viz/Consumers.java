package io.github.chainrule.viz;

import io.github.chainrule.autodiff.GraphNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Who uses each node of a computation graph, built once in one pass over the edges (linear in
 * the graph's size; {@code ComputationGraph.consumers} scans the whole graph per call). The one
 * place in viz that inverts the graph's edges: drawings and traces both read it.
 */
final class Consumers {
    private final List<List<GraphNode>> users;
    private final int[] edges;

    /** @param nodes all nodes in id order, {@code nodes.get(i).id() == i} */
    Consumers(List<GraphNode> nodes) {
        users = new ArrayList<>(nodes.size());
        edges = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            users.add(new ArrayList<>());
        }
        for (GraphNode n : nodes) {
            for (GraphNode in : n.inputs()) {
                edges[in.id()]++;
                List<GraphNode> c = users.get(in.id());
                if (c.isEmpty() || c.get(c.size() - 1) != n) { // nodes come in id order: a repeat is the last one
                    c.add(n);
                }
            }
        }
    }

    /** The distinct nodes that take {@code n} as an input, in id order. */
    List<GraphNode> of(GraphNode n) {
        return users.get(n.id());
    }

    /** How many inputs {@code n} feeds, counting a node that uses it twice ({@code b · b}) twice. */
    int edges(GraphNode n) {
        return edges[n.id()];
    }
}
