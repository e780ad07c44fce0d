package io.github.chainrule.viz;

import io.github.chainrule.autodiff.ComputationGraph;
import io.github.chainrule.autodiff.GraphNode;

/**
 * How often a node is used, for the drawings' and traces' "one path" rule: the graph lists each
 * consumer once ({@link ComputationGraph#consumers}), while a node used twice by the same
 * operation ({@code b · b}) sends two gradient contributions.
 */
final class Consumers {
    private Consumers() {
    }

    /** How many inputs {@code n} feeds, counting a node that uses it twice ({@code b · b}) twice. */
    static int edges(ComputationGraph graph, GraphNode n) {
        int count = 0;
        for (GraphNode c : graph.consumers(n)) {
            for (GraphNode in : c.inputs()) {
                count += in == n ? 1 : 0;
            }
        }
        return count;
    }
}
