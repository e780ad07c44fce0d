package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Composites keep their identity in the graph view, and their collapsed rule is their primitives' chain rule. */
class CompositeTest {
    @Test
    void subIsOneNodeWhenCollapsedAndItsPrimitivesWhenExpanded() {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad(), b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor q = a.sub(b).named("q");
        ComputationGraph collapsed = ComputationGraph.collapsed(q);
        assertEquals(List.of("a", "b", "q"), collapsed.nodes().stream().map(GraphNode::name).toList());
        GraphNode n = collapsed.output();
        assertEquals(Composite.SUB, n.composite());
        assertNull(n.primitive());
        assertEquals("sub", n.op());
        assertEquals(1.0, n.localDerivative(0));
        assertEquals(-1.0, n.localDerivative(1));
        List<GraphNode> expanded = ComputationGraph.of(q).nodes();
        assertEquals(List.of(Primitive.NEG, Primitive.ADD),
                expanded.stream().filter(x -> !x.isLeaf()).map(GraphNode::primitive).toList());
        assertEquals(Composite.SUB, expanded.get(expanded.size() - 1).partOf());
    }

    @Test
    void softmaxHidesItsShiftAndItsCollapsedRuleIsTheVectorJacobianProduct() {
        NumpyRandom rng = new NumpyRandom(4);
        Tensor x = Tensor.randn(3, 2, rng).named("x").requiringGrad();
        Tensor u = Tensor.randn(3, 2, rng);
        Tensor s = x.softmax(0).named("s");
        GraphNode n = ComputationGraph.collapsed(s).output();
        assertEquals(Composite.SOFTMAX, n.composite());
        assertEquals(List.of("x"), n.inputs().stream().map(GraphNode::name).toList());
        s.backward(u);
        assertArrayEquals(x.grad().toRowMajorArray(), n.backwardStep(0, u).toRowMajorArray(), 1e-15);
    }

    @Test
    void aCompositeWithAConstantOperandStaysExpanded() {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor q = a.sub(Tensor.scalar(1)).named("q");
        // −1 was computed without a graph inside the call: the collapsed view cannot show it as "sub", so it does not
        assertEquals(Primitive.ADD, ComputationGraph.collapsed(q).output().primitive());
        try (Grad.Scope off = Grad.disabled()) {
            assertNull(Recorder.enter(Composite.SUB));
        }
    }
}
