package io.github.chainrule.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.chainrule.autodiff.GemmBackends;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's hand-written step computes chainrule's step: from the same weights, both train
 * to the same weights, so the ratio of their times measures the graph and nothing else.
 */
class HandMlpTest {

    @Test
    void theHandWrittenStepTrainsLikeChainrulesStep() {
        for (int batch : new int[] {7, 32}) {
            Benchmark.Workload chainrule = new Benchmark.Workload(batch);
            HandMlp hand = new HandMlp(HandMlp.Products.CHAINRULE_KERNEL, new int[] {784, 256, 128, 10}, chainrule.x,
                    chainrule.y);
            for (int l = 0; l < 3; l++) {
                System.arraycopy(chainrule.w[l].toRowMajorArray(), 0, hand.w[l].data, 0, hand.w[l].data.length);
                System.arraycopy(chainrule.b[l].toRowMajorArray(), 0, hand.b[l].data, 0, hand.b[l].data.length);
            }
            chainrule.steps(5);
            for (int s = 0; s < 5; s++) {
                hand.step(0.01);
            }
            for (int l = 0; l < 3; l++) {
                assertArrayEquals(chainrule.w[l].toRowMajorArray(), hand.w[l].data, 1e-12,
                        "W" + l + " at batch " + batch + " on " + GemmBackends.current().name());
                assertArrayEquals(chainrule.b[l].toRowMajorArray(), hand.b[l].data, 1e-12,
                        "b" + l + " at batch " + batch);
            }
        }
    }
}
