package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.testing.Program;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link Step} releases the graph it recorded and nothing else: the next results are written
 * into that storage, a training loop inside steps computes exactly what it computes without them,
 * and a released tensor cannot be used by mistake.
 */
class StepTest {
    private static final int[] SIZES = {5, 9, 7, 3};
    private static final int BATCH = 12;

    @BeforeEach
    void noSpares() {
        SpareArrays.clear();
    }

    /** One training step of {@code mlp}, keeping each pre-activation's storage; returns the cost, read inside. */
    private static double step(ReluMlp mlp, List<double[]> storage) {
        return mlp.step(false, false, 0.1, z -> storage.add(z.data())).item();
    }

    @Test
    void trainingInsideStepsComputesExactlyWhatItComputesWithoutThem() {
        ReluMlp plain = new ReluMlp(SIZES, BATCH, 3), stepped = new ReluMlp(SIZES, BATCH, 3);
        List<double[]> plainStorage = new ArrayList<>(), steppedStorage = new ArrayList<>();
        double[] expected = new double[12];
        for (int s = 0; s < expected.length; s++) {
            expected[s] = step(plain, plainStorage);
        }
        for (int s = 0; s < expected.length; s++) {
            double cost;
            try (Step step = Step.open()) {
                cost = step(stepped, steppedStorage);
            }
            assertEquals(expected[s], cost, 0.0, "step " + s);
        }
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(plain.w[l].toRowMajorArray(), stepped.w[l].toRowMajorArray(), 0.0, "W" + (l + 1));
            assertArrayEquals(plain.b[l].toRowMajorArray(), stepped.b[l].toRowMajorArray(), 0.0, "b" + (l + 1));
        }
        // the stepped loop really wrote later steps into released storage; the plain one never reuses a forward value
        assertTrue(distinct(steppedStorage) < steppedStorage.size() / 2,
                distinct(steppedStorage) + " distinct arrays for " + steppedStorage.size() + " pre-activations");
        assertEquals(plainStorage.size(), distinct(plainStorage));
    }

    private static int distinct(List<double[]> arrays) {
        Map<double[], Boolean> seen = new IdentityHashMap<>();
        arrays.forEach(a -> seen.put(a, Boolean.TRUE));
        return seen.size();
    }

    @Test
    void aReleasedTensorFailsNamingItselfWhateverUsesIt() {
        Tensor w = Tensor.of(new double[][] {{1, 2}, {3, 4}}).named("W").requiringGrad();
        Tensor z;
        try (Step step = Step.open()) {
            z = w.matmul(w).named("Z");
            assertEquals(7.0, z.get(0, 0));
        }
        List<Runnable> uses = List.of(() -> z.get(0, 0), z::toArray, z::toRowMajorArray, z::toEjml, z::detach,
                z::checkFinite, () -> z.add(1.0), () -> w.mul(z), () -> z.sum().backward(),
                () -> ComputationGraph.of(z.sum()).nodes().forEach(n -> n.value().toArray()));
        for (Runnable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("\"Z\" (2, 2) was computed inside a Step that has closed")
                    && e.getMessage().contains("detach()"), e.getMessage());
        }
        assertEquals("Z (2, 2) (released when its Step closed)", z.toString());
        assertEquals(new Shape(2, 2), z.shape());
        assertEquals("matmul", z.op());
        assertEquals(4, z.size());
    }

    @Test
    void leavesGradientsUntrackedResultsAndCopiesOutliveTheStep() {
        Tensor w = Tensor.row(1, 2).named("w").requiringGrad();
        Tensor data = Tensor.row(3, 4);
        Tensor kept, untracked, noGrad, summed;
        try (Step step = Step.open()) {
            Tensor y = w.mul(data);
            summed = y.sum();
            summed.backward();
            kept = y.detach();
            untracked = data.mul(2.0);
            try (Grad.Scope off = Grad.disabled()) {
                noGrad = w.mul(3.0);
            }
        }
        assertArrayEquals(new double[] {1, 2}, w.toRowMajorArray());
        assertArrayEquals(new double[] {3, 4}, w.grad().toRowMajorArray());
        assertArrayEquals(new double[] {3, 8}, kept.toRowMajorArray());
        assertArrayEquals(new double[] {6, 8}, untracked.toRowMajorArray());
        assertArrayEquals(new double[] {3, 6}, noGrad.toRowMajorArray());
        assertArrayEquals(new double[] {3, 4}, data.toRowMajorArray());
        assertThrows(IllegalStateException.class, summed::item);
    }

    @Test
    void secondDerivativesInsideAStepAreRight() {
        Tensor x = Tensor.scalar(2.0).named("x").requiringGrad();
        double second;
        try (Step step = Step.open()) {
            Tensor y = x.pow(3.0);
            Tensor dy = Autograd.grad(y, List.of(x), true).get(0);
            second = Autograd.grad(dy, List.of(x), false).get(0).item();
        }
        assertEquals(12.0, second); // d²(x³)/dx² = 6x
        try (Step step = Step.open()) { // the released storage is reused, and the same numbers come out
            Tensor y = x.pow(3.0);
            Tensor dy = Autograd.grad(y, List.of(x), true).get(0);
            assertEquals(12.0, dy.item());
            assertEquals(second, Autograd.grad(dy, List.of(x), false).get(0).item());
        }
    }

    @Test
    void stepsNestAndAnInnerStepReleasesOnlyItsOwnResults() {
        Tensor x = Tensor.row(1, 2).requiringGrad();
        try (Step outer = Step.open()) {
            Tensor a = x.mul(2.0);
            Tensor b;
            try (Step inner = Step.open()) {
                b = a.mul(3.0);
                assertEquals(6.0, b.get(0, 0));
            }
            assertThrows(IllegalStateException.class, () -> b.get(0, 0));
            assertEquals(4.0, a.get(0, 1));
            Tensor c = a.add(1.0);
            assertEquals(5.0, c.get(0, 1));
        }
    }

    @Test
    void closingOnAnotherThreadIsRefusedAndClosingTwiceIsHarmless()
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Tensor x = Tensor.row(1, 2).requiringGrad();
        Step step = Step.open();
        Tensor a = x.mul(2.0);
        String message = CompletableFuture.supplyAsync(() -> {
            try {
                step.close();
                return "closed";
            } catch (IllegalStateException ex) {
                return ex.getMessage();
            }
        }).get(30, TimeUnit.SECONDS);
        assertTrue(message.contains("on the thread that opened it"), message);
        assertEquals(2.0, a.get(0, 0)); // the refused close released nothing
        step.close();
        step.close();
        assertThrows(IllegalStateException.class, () -> a.get(0, 0));
        Tensor after = x.mul(5.0); // no step open: an ordinary result
        assertFalse(after.isReleased());
        assertSame(x, x.expand(x.shape()));
    }

    @Test
    void backpropagatingThroughAReleasedTensorFailsEvenWhenNoRuleReadsItsValues() {
        Tensor w = Tensor.row(1, 2).named("w").requiringGrad(), x = Tensor.row(3, 4);
        Tensor cost;
        try (Step step = Step.open()) {
            cost = w.mul(x).sum().named("cost"); // mul's rule reads only x, sum's only g
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, cost::backward);
        assertTrue(e.getMessage().contains("\"cost\" (1, 1) was computed inside a Step"), e.getMessage());
        assertFalse(w.hasGrad());
    }

    @Test
    void anInnerStepLeftOpenIsClosedWithItsOuterStepAndTheThreadLeavesBoth() {
        Tensor x = Tensor.row(1, 2).requiringGrad();
        Step outer = Step.open();
        Tensor a = x.mul(2.0);
        Step inner = Step.open(); // never closed, as when code between open and try throws
        Tensor b = a.mul(3.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("1 step(s) opened inside this one were never closed"), e.getMessage());
        assertTrue(a.isReleased() && b.isReleased());
        assertTrue(ThreadState.get().step == null && ThreadState.get().stepCount == 0);
        inner.close(); // closed with the outer one: nothing left to do
        outer.close();
        Tensor later = x.mul(4.0); // recorded outside any step: kept by no step
        assertEquals(0, ThreadState.get().stepCount);
        assertEquals(4.0, later.get(0, 0));
    }

    @Test
    void aStepClosedByAnExceptionStillReleasesItsGraph() {
        Tensor x = Tensor.row(1, 2).requiringGrad();
        Tensor[] made = new Tensor[1];
        assertThrows(IllegalArgumentException.class, () -> {
            try (Step step = Step.open()) {
                made[0] = x.mul(2.0);
                made[0].add(Tensor.row(1, 2, 3)); // shapes (1, 2) and (1, 3) do not broadcast
            }
        });
        assertTrue(made[0].isReleased());
    }

    /**
     * Reuse must never let two live tensors share storage: random programs (shared intermediates,
     * broadcasting, slices, gathers) give bit for bit the same values, first and second derivatives
     * and training gradients when each evaluation runs in a step writing into the storage the
     * previous steps released.
     */
    @Test
    void randomProgramsComputeTheSameNumbersInsideStepsReusingStorage() {
        Iterator<Program> programs = RandomPrograms.trials().withLimit(300).asIterator();
        int checked = 0;
        while (programs.hasNext()) {
            Program p = programs.next();
            List<double[]> expected = everything(p);
            for (int round = 0; round < 3; round++) {
                List<double[]> got;
                try (Step step = Step.open()) {
                    got = everything(p);
                }
                for (int k = 0; k < expected.size(); k++) {
                    assertArrayEquals(expected.get(k), got.get(k), 0.0, "result " + k + " of\n" + p.toJava());
                }
            }
            checked++;
        }
        assertEquals(300, checked);
    }

    /** The program's value, its first and second derivatives, and the leaves' gradients of a training pass. */
    private static List<double[]> everything(Program p) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor x : p.inputs()) {
            xs.add(x.requiringGrad());
        }
        Tensor out = p.evaluate(xs);
        List<double[]> r = new ArrayList<>();
        r.add(out.toRowMajorArray());
        List<Tensor> first = Autograd.vjp(out, Tensor.ones(out.shape()), xs, true, true);
        Tensor weighted = null;
        for (int i = 0; i < first.size(); i++) {
            r.add(first.get(i).toRowMajorArray());
            Tensor term = first.get(i).mul(xs.get(i).mul(0.5).add(1.0)).sum();
            weighted = weighted == null ? term : weighted.add(term);
        }
        if (weighted.requiresGrad()) {
            Autograd.grad(weighted, xs, false, true).forEach(g -> r.add(g.toRowMajorArray()));
        }
        Autograd.backward(p.evaluate(xs).sum(), false);
        xs.forEach(x -> r.add(x.hasGrad() ? x.grad().toRowMajorArray() : new double[0]));
        return r;
    }
}
