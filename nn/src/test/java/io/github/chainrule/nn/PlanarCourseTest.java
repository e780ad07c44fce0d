package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * End to end through Dense, tanh, sigmoid and cross-entropy: the course's one-hidden-layer
 * planar network, with plain gradient descent written inline (optimizers live elsewhere), reaches
 * the notebook's costs. Reference: the notebook's code run with numpy 2.4, which prints
 * 0.6930480201239823, 0.28808329356901846, 0.25438549407324546 at iterations 0, 1000, 2000
 * (published: 0.693048, 0.288083, 0.254385).
 */
class PlanarCourseTest {

    /** The flower data set, generated as COURSE.md describes: X (2, 400), Y (1, 400). */
    static Tensor[] flower() {
        NumpyRandom rng = new NumpyRandom(1);
        int m = 400, n = 200;
        double[] x = new double[2 * m], y = new double[m];
        for (int j = 0; j < 2; j++) {
            double start = j * 3.12, stop = (j + 1) * 3.12, step = (stop - start) / (n - 1);
            double[] t = new double[n], noiseT = rng.randn(n), r = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = (i == n - 1 ? stop : i * step + start) + noiseT[i] * 0.2;
            }
            double[] noiseR = rng.randn(n);
            for (int i = 0; i < n; i++) {
                r[i] = 4 * Math.sin(4 * t[i]) + noiseR[i] * 0.2;
                x[n * j + i] = r[i] * Math.sin(t[i]);
                x[m + n * j + i] = r[i] * Math.cos(t[i]);
                y[n * j + i] = j;
            }
        }
        return new Tensor[] {Tensor.fromRowMajor(2, m, x), Tensor.fromRowMajor(1, m, y)};
    }

    @Test
    void oneHiddenLayerReachesTheNotebookCosts() {
        Tensor[] data = flower();
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
