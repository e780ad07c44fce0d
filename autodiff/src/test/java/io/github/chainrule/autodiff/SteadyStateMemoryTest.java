package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * Memory in steady-state training (counts of bytes and reachability, never timings): a step's
 * graph and gradients are garbage once the next step has run, the heap retained after many
 * steps does not grow, and a step allocates little more than what it must hold.
 */
class SteadyStateMemoryTest {
    /** The benchmark's MLP (GraphBench), 784-256-128-10 at batch 32, with the step the tests need. */
    private static final class Mlp {
        final ReluMlp net = new ReluMlp(new int[] {784, 256, 128, 10}, 32, 5);

        /** One step; returns the cost tensor (the root of this step's graph). */
        Tensor step(boolean keepIntermediate) {
            return step(keepIntermediate, false);
        }

        /** One step inside a {@link Step}, which releases its graph; returns the (released) cost tensor. */
        Tensor steppedStep() {
            try (Step step = Step.open()) {
                return step(false, false);
            }
        }

        /** One step, the update reading {@code grad()} when {@code handOut}; returns the cost tensor. */
        Tensor step(boolean keepIntermediate, boolean handOut) {
            return net.step(keepIntermediate, handOut, 0.05, z -> { });
        }

        long mustHold() {
            return net.mustHold();
        }
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Test
    void steadyStateTrainingDoesNotGrowTheHeap() {
        for (int variant = 0; variant < 4; variant++) {
            boolean keep = variant == 1, handOut = variant == 2, stepped = variant == 3;
            Mlp mlp = new Mlp();
            for (int i = 0; i < 50; i++) {
                Tensor unused = stepped ? mlp.steppedStep() : mlp.step(keep, handOut);
            }
            long before = usedAfterGc();
            WeakReference<Tensor> early = new WeakReference<>(stepped ? mlp.steppedStep() : mlp.step(keep, handOut));
            for (int i = 0; i < 300; i++) {
                Tensor unused = stepped ? mlp.steppedStep() : mlp.step(keep, handOut);
            }
            long after = usedAfterGc();
            String variantName = "(keepIntermediate " + keep + ", grad() handed out " + handOut + ", in steps " + stepped
                    + ")";
            // the graph of an earlier step (its nodes, values and kept gradients) is garbage now
            assertNull(early.get(), "the graph of an earlier step is still reachable " + variantName);
            // 300 steps allocate about 300 × 2.6 MB; what stays must not grow with them (allow 2 MB of noise)
            assertTrue(after - before < 2_000_000, "the heap grew by " + (after - before) + " bytes over 300 steps "
                    + variantName);
        }
    }

    @Test
    void aStepAllocatesAtMostOneAndAHalfTimesWhatItMustHold() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mlp mlp = new Mlp();
        for (int i = 0; i < 20; i++) {
            mlp.step(false);
        }
        int steps = 50;
        long start = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            mlp.step(false);
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - start) / steps;
        double ratio = (double) perStep / mlp.mustHold();
        assertTrue(ratio <= 1.5, "a training step allocates " + perStep + " bytes, " + ratio + " times the "
                + mlp.mustHold() + " it must hold");
    }

    @Test
    void withGradientStorageReusedAStepAllocatesLessThanHalfWhatItMustHold() {
        // the weight gradients (1.9 MB of the 2.1 MB) are written into the storage of the last step's
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mlp mlp = new Mlp();
        for (int i = 0; i < 20; i++) {
            mlp.step(false, false);
        }
        int steps = 50;
        long start = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            mlp.step(false, false);
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - start) / steps;
        assertTrue(perStep < mlp.mustHold() / 2, "a training step with addGradInPlace allocates " + perStep
                + " bytes of the " + mlp.mustHold() + " it must hold");
    }

    @Test
    void insideStepsAStepAllocatesAlmostNothing() {
        // the activations too are written into the storage of the last step's: what is left are the small
        // objects of the graph (tensors, nodes) and arrays below the sizes kept
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mlp mlp = new Mlp();
        for (int i = 0; i < 20; i++) {
            mlp.steppedStep();
        }
        int steps = 50;
        long start = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            mlp.steppedStep();
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - start) / steps;
        assertTrue(perStep < mlp.mustHold() / 20, "a training step inside a Step allocates " + perStep
                + " bytes of the " + mlp.mustHold() + " it must hold");
    }

    @Test
    void gradientsAreNotSharedBetweenTensorsWithoutCopies() {
        // add passes its upstream gradient on as is: the stored gradients must still be distinct objects
        Tensor a = Tensor.row(1, 2).requiringGrad(), b = Tensor.row(3, 4).requiringGrad();
        Tensor s = a.add(b);
        s.sum().backward();
        assertNotSame(a.grad(), b.grad());
        assertNotSame(a.grad(), s.grad());
        assertNotSame(b.grad(), s.grad());
    }
}
