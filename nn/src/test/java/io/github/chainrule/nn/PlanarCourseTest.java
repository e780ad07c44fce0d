package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import org.junit.jupiter.api.Test;

/**
 * End to end through Dense, tanh, sigmoid and cross-entropy: the course's one-hidden-layer
 * planar network, with plain gradient descent written inline (optimizers live elsewhere), reaches
 * the notebook's costs. Reference: the notebook's code (course 1, week 3, "Planar data classification with one
 * hidden layer") run with numpy 2.4, which prints 0.6930480201239823, 0.28808329356901846, 0.25438549407324546 at
 * iterations 0, 1000, 2000 (published: 0.693048, 0.288083, 0.254385); the flower's X[0,0] and X[1,399] from the
 * notebook's {@code load_planar_dataset()} in numpy. Provenance:
 * <a href="../../../../../../../../docs/course-references.md#planar-data-one-hidden-layer-course-1-week-3-planar-data-classification-with-one-hidden-layer">
 * docs/course-references.md, "Planar data, one hidden layer"</a>.
 */
class PlanarCourseTest {

    @Test
    void oneHiddenLayerReachesTheNotebookCosts() {
        Dataset flower = Datasets.flower();
        Tensor[] data = {flower.x(), flower.y()};
        assertEquals(1.204442292254319, data[0].get(0, 0), 1e-12);
        assertEquals(3.0683292081876545, data[0].get(1, 399), 1e-12);
        Sequential model = Sequential.builder(2, 4, 1).hidden(Activation.TANH).initializer(Initializer.SMALL_RANDOM)
                .seed(2).build();
        double[] expected = {0.6930480201239823, 0.28808329356901846, 0.25438549407324546};
        for (int i = 0; i <= 2000; i++) {
            Tensor cost = Losses.BINARY_CROSS_ENTROPY.cost(model.forward(data[0]), data[1]);
            if (i % 1000 == 0) {
                assertEquals(expected[i / 1000], cost.item(), 1e-6, "cost after iteration " + i);
            }
            model.zeroGrad();
            cost.backward();
            try (Grad.Scope off = Grad.disabled()) {
                for (Tensor p : model.parameters().values()) {
                    p.addInPlace(p.grad(), -1.2);
                }
            }
        }
    }
}
