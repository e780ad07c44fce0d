package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The backward engine: the course's computation graph, accumulation, depth, higher order, scopes. */
class EngineTest {

    private static Tensor var(double v, String name) {
        return Tensor.scalar(v).named(name).requiringGrad();
    }

    @Test
    void storedGradientsAreNamedAfterTheirTensors() {
        Tensor w = Tensor.of(new double[][] {{1, 2}}).named("W[1]").requiringGrad();
        Tensor z = w.mul(w).named("Z[1]"), j = z.sum().named("J");
        j.backward();
        assertEquals("dW[1]", w.grad().name());
        assertEquals("dZ[1]", z.grad().name());
        assertEquals("dJ", j.grad().name());
        assertEquals("dW[1]", w.grad().detach().name());
        assertTrue(w.grad().toString().startsWith("dW[1]"), w.grad().toString());
        assertEquals("g", w.grad().named("g").name());
        assertEquals(null, Tensor.scalar(1).requiringGrad().mul(2).sum().name());
    }

    @Test
    void courseComputationGraph() {
        // the course: J = 3(a + bc), a = 5, b = 3, c = 2 gives J = 33 and dJ/da = 3, dJ/db = 6, dJ/dc = 9
        Tensor a = var(5, "a"), b = var(3, "b"), c = var(2, "c");
        Tensor u = b.mul(c).named("u"), v = a.add(u).named("v"), j = v.mul(3).named("J");
        j.backward();
        assertEquals(6, u.item());
        assertEquals(11, v.item());
        assertEquals(33, j.item());
        assertEquals(3, v.grad().item());
        assertEquals(3, u.grad().item());
        assertEquals(3, a.grad().item());
        assertEquals(6, b.grad().item());
        assertEquals(9, c.grad().item());
        assertEquals(1, j.grad().item());
        assertEquals("db (1, 1) = 6", b.grad().toString(), "gradients are named in the course's notation");
    }

    @Test
    void reusedNodesAccumulate() {
        Tensor x = var(1.5, "x");
        Tensor b = x.add(x);
        Tensor c = b.add(b);
        c.backward();
        assertEquals(4, x.grad().item());
        assertEquals(2, b.grad().item());
    }

    @Test
    void leavesAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = var(2, "x");
        Tensor y = x.mul(x);
        y.backward();
        assertEquals(4, x.grad().item());
        y.backward();
        assertEquals(8, x.grad().item());
        x.zeroGrad();
        assertFalse(x.hasGrad());
        y.backward();
        assertEquals(4, x.grad().item());
        assertEquals(1, y.grad().item(), "intermediate and output gradients are replaced, not summed");
    }

    @Test
    void backwardTwiceGivesTheSameResult() {
        Tensor w = Tensor.of(new double[][] {{0.5, -1.0}, {2.0, 0.25}}).requiringGrad();
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {-1, 0.5, 2}});
        Tensor cost = w.matmul(x).tanh().sum();
        cost.backward();
        double[][] first = w.grad().toArray();
        w.zeroGrad();
        cost.backward();
        assertEquals(List.of(first[0][0], first[0][1], first[1][0], first[1][1]),
                List.of(w.grad().get(0, 0), w.grad().get(0, 1), w.grad().get(1, 0), w.grad().get(1, 1)));
    }

    @Test
    void noTwoTensorsShareAGradientObject() {
        Tensor x = Tensor.row(1, 2).requiringGrad(), y = Tensor.row(3, 4).requiringGrad();
        Tensor c = x.add(y);
        c.sum().backward();
        assertNotSame(x.grad(), y.grad());
        assertNotSame(x.grad(), c.grad());
        x.grad().set(0, 0, 100);   // e.g. clipping one gradient in place
        assertEquals(1, y.grad().get(0, 0));
        assertEquals(1, c.grad().get(0, 0));
        List<Tensor> g = Autograd.grad(c.sum(), List.of(x, y), false);
        assertNotSame(g.get(0), g.get(1));
    }

    @Test
    void withoutKeepingIntermediatesOnlyLeavesGetGradients() {
        Tensor w = Tensor.row(1, -2).requiringGrad();
        Tensor hidden = w.mul(3).named("hidden");
        Tensor cost = hidden.pow(2).sum();
        Autograd.backward(cost, false);
        assertEquals(18, w.grad().get(0, 0), 1e-12);    // d(9w²)/dw = 18w
        assertEquals(-36, w.grad().get(0, 1), 1e-12);
        assertFalse(hidden.hasGrad());
    }

    @Test
    void millionOpChainBackpropagatesWithoutStackOverflow() {
        Tensor x = var(1.0, "x");
        Tensor y = x;
        for (int i = 0; i < 1_000_000; i++) {
            y = y.mul(1.0);
        }
        y.backward(); // a recursive engine throws StackOverflowError here
        assertEquals(1.0, x.grad().item());
    }

    @Test
    void broadcastOperandsGetGradientsOfTheirOwnShape() {
        Tensor z = Tensor.ones(3, 4).requiringGrad();
        Tensor col = Tensor.column(1, 2, 3).requiringGrad();
        Tensor row = Tensor.row(1, 2, 3, 4).requiringGrad();
        Tensor s = Tensor.scalar(2).requiringGrad();
        z.add(col).mul(row).add(s).sum().backward();
        assertEquals(Shape.of(3, 1), col.grad().shape());
        assertEquals(Shape.of(1, 4), row.grad().shape());
        assertEquals(Shape.SCALAR, s.grad().shape());
        // d/dcol_i Σ_j (1 + col_i)·row_j = Σ_j row_j = 10
        assertEquals(10, col.grad().get(2, 0));
        // d/drow_j Σ_i (1 + col_i)·row_j = Σ_i (1 + col_i) = 9
        assertEquals(9, row.grad().get(0, 3));
        assertEquals(12, s.grad().item());
    }

    @Test
    void courseBiasGradientIsTheSumOverColumns() {
        // db = 1/m Σ dZ over the columns: the expand of b (n, 1) to (n, m) sums back
        Tensor dZ = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.zeros(2, 1).requiringGrad();
        b.expand(Shape.of(2, 3)).mul(dZ).mean(1, true).sum().backward();
        assertEquals(2, b.grad().get(0, 0), 1e-15);
        assertEquals(5, b.grad().get(1, 0), 1e-15);
    }

    @Test
    void zeroUpstreamGradientGivesZero() {
        Tensor x = Tensor.of(new double[][] {{1, -2}, {3, 0.5}}).requiringGrad();
        Tensor y = x.exp().matmul(x).sigmoid();
        Tensor g = Autograd.vjp(y, Tensor.zeros(y.shape()), List.of(x), false).get(0);
        for (double v : g.toRowMajorArray()) {
            assertEquals(0.0, v);
        }
    }

    @Test
    void secondDerivativeOfCube() {
        for (double x0 : new double[] {-2, 0.5, 3}) {
            Tensor x = var(x0, "x");
            Tensor dy = Autograd.grad(x.pow(3), List.of(x), true).get(0);
            assertEquals(3 * x0 * x0, dy.item(), 1e-12);
            Tensor d2y = Autograd.grad(dy, List.of(x), false).get(0);
            assertEquals(6 * x0, d2y.item(), 1e-12);
        }
    }

    @Test
    void gradientOfAGradientNorm() {
        // f = Σ x³, ∇f = 3x², ‖∇f‖² = Σ 9x⁴, whose gradient is 36x³
        Tensor x = Tensor.row(1, -2, 0.5).requiringGrad();
        Tensor g = Autograd.grad(x.pow(3).sum(), List.of(x), true).get(0);
        Tensor penalty = g.mul(g).sum();
        penalty.backward();
        assertEquals(36, x.grad().get(0, 0), 1e-12);
        assertEquals(-288, x.grad().get(0, 1), 1e-12);
        assertEquals(4.5, x.grad().get(0, 2), 1e-12);
    }

    @Test
    void hessianVectorProduct() {
        // f = ½ xᵀAx with symmetric A: H = A, so Hv = Av
        Tensor a = Tensor.of(new double[][] {{2, 1}, {1, 3}});
        Tensor x = Tensor.column(0.3, -0.7).requiringGrad();
        Tensor v = Tensor.column(1, 2);
        Tensor f = x.transpose().matmul(a).matmul(x).mul(0.5);
        Tensor g = Autograd.grad(f, List.of(x), true).get(0);
        Tensor hv = Autograd.grad(g.mul(v).sum(), List.of(x), false).get(0);
        assertEquals(4, hv.get(0, 0), 1e-12);
        assertEquals(7, hv.get(1, 0), 1e-12);
    }

    @Test
    void gradLeavesStoredGradientsAlone() {
        Tensor x = var(3, "x");
        List<Tensor> g = Autograd.grad(x.mul(x), List.of(x, Tensor.scalar(1)), false, true);
        assertEquals(6, g.get(0).item());
        assertEquals(0, g.get(1).item(), "with allowUnused an input the output does not depend on gets zeros");
        assertFalse(x.hasGrad());
    }

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Tensor x = var(2, "x");
        try (Grad.Scope s = Grad.disabled()) {
            Tensor y = x.mul(x);
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            try (Grad.Scope inner = Grad.enabled()) {
                assertTrue(x.mul(x).requiresGrad());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void noGradScopeIsPerThread() throws InterruptedException {
        AtomicBoolean otherThreadRecords = new AtomicBoolean();
        try (Grad.Scope s = Grad.disabled()) {
            Thread t = new Thread(() -> otherThreadRecords.set(Grad.isEnabled()));
            t.start();
            t.join();
        }
        assertTrue(otherThreadRecords.get());
    }

    @Test
    void detachStopsGradients() {
        Tensor x = var(3, "x");
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertNotSame(x, d);
        x.mul(d).backward();
        assertEquals(3, x.grad().item(), "d is a constant: d(x·d)/dx = d");
    }

    @Test
    void inPlaceChangeAfterUseFailsTheBackwardNamingTheTensor() {
        Tensor w = Tensor.of(new double[][] {{1, 2}}).named("W[1]").requiringGrad();
        Tensor cost = w.mul(w).sum();
        w.addInPlace(Tensor.ones(1, 2), -0.1);
        IllegalStateException e = assertThrows(IllegalStateException.class, cost::backward);
        assertEquals("backward: \"W[1]\" (1, 2) was modified in place (now version 1) after mul used it at version 0"
                + " to compute the result of mul; hint: run the forward pass again after changing it", e.getMessage());
        // a fresh forward after the update works
        w.mul(w).sum().backward();
        assertEquals(1.8, w.grad().get(0, 0), 1e-15);
    }

    @Test
    void onlyLeavesChangeInPlace() {
        Tensor y = var(1, "x").mul(2).named("y");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.set(0, 0, 5));
        assertEquals("set: \"y\" (1, 1) is the result of mul; only leaves can be changed in place", e.getMessage());
    }

    @Test
    void graphViewListsNodesInTopologicalOrderWithRules() {
        Tensor a = var(5, "a"), b = var(3, "b"), c = var(2, "c");
        Tensor j = a.add(b.mul(c).named("u")).named("v").mul(3).named("J");
        j.backward();
        ComputationGraph g = ComputationGraph.of(j);
        assertEquals(List.of("a", "b", "c", "u", "v", "J"), g.nodes().stream().map(GraphNode::name).toList());
        GraphNode jNode = g.output();
        assertEquals("mul", jNode.op());
        assertEquals("3", jNode.detail());
        assertEquals(3, jNode.localDerivative(0));
        GraphNode u = g.nodes().get(3);
        assertEquals(2, u.localDerivative(0), "∂u/∂b = c");
        assertEquals(3, u.localDerivative(1), "∂u/∂c = b");
        assertEquals(List.of("∂/∂a = g · b", "∂/∂b = g · a"), u.rules());
        assertEquals(List.of(g.nodes().get(4)), g.consumers(u));
        assertEquals(6, g.nodes().get(1).grad().item());
        assertTrue(g.nodes().get(0).isLeaf());
        // same graph, same ids
        assertEquals(g.nodes().stream().map(GraphNode::toString).toList(),
                ComputationGraph.of(j).nodes().stream().map(GraphNode::toString).toList());
    }

    @Test
    void graphViewShowsBroadcastAsAnExpandNode() {
        Tensor w = Tensor.ones(2, 3).named("W[1]").requiringGrad();
        Tensor b = Tensor.zeros(2, 1).named("b[1]").requiringGrad();
        Tensor z = w.matmul(Tensor.ones(3, 4).named("A[0]")).add(b).named("Z[1]");
        List<String> ops = ComputationGraph.of(z).nodes().stream().map(n -> String.valueOf(n.op())).toList();
        assertTrue(ops.contains("expand"), ops.toString());
        GraphNode expand = ComputationGraph.of(z).nodes().stream().filter(n -> "expand".equals(n.op())).findFirst()
                .orElseThrow();
        assertEquals("(2, 1) → (2, 4)", expand.detail());
        assertEquals("b[1]", expand.inputs().get(0).name());
    }
}
