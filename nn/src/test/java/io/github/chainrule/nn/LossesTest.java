package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cost values against the course and numpy, saturation behaviour, and label errors. */
class LossesTest {

    @Test
    void crossEntropyMatchesTheCourseCheckValue() {
        Tensor cost = Losses.binaryCrossEntropy(Tensor.row(.8, .9, .4), Tensor.row(1, 1, 0));
        assertEquals(0.2797765635793422, cost.item(), 1e-15);
        assertEquals("(1, 1)", cost.shape().toString());
    }

    @Test
    void fromLogitsMatchesNumpy() {
        // z = [2, -1, 0.5], y = [1, 0, 1]: np.mean(-y*log(sig(z)) - (1-y)*log(1-sig(z)))
        Tensor z = Tensor.row(2.0, -1.0, 0.5).requiringGrad();
        Tensor y = Tensor.row(1, 0, 1);
        Tensor cost = Losses.binaryCrossEntropyFromLogits(z, y);
        assertEquals(0.3047555609137674, cost.item(), 1e-15);
        cost.backward();
        // dZ = (A − Y) / m
        double[] a = z.sigmoid().toRowMajorArray();
        assertArrayEquals(new double[] {(a[0] - 1) / 3, a[1] / 3, (a[2] - 1) / 3}, z.grad().toRowMajorArray(), 1e-15);
    }

    @Test
    void saturatedSigmoidGivesALargeFiniteCostNotNaN() {
        Tensor z = Tensor.row(40.0, -40.0).requiringGrad();   // σ(40) is exactly 1.0 in double
        Tensor a = z.sigmoid();
        assertEquals(1.0, a.get(0, 0), 0.0);
        Tensor cost = Losses.binaryCrossEntropy(a, Tensor.row(0, 1));
        assertTrue(Double.isFinite(cost.item()) && cost.item() > 30, "cost " + cost.item());
        cost.backward();
        assertTrue(Double.isFinite(z.grad().sum().item()));
        assertEquals(100.0, Losses.binaryCrossEntropy(Tensor.row(1.0), Tensor.row(0)).item(), 1e-9);
        // the fused form sees through the saturation: cost ≈ 40 per example, gradient ±1/m
        Tensor fused = Losses.binaryCrossEntropyFromLogits(Tensor.row(40.0, -40.0), Tensor.row(0, 1));
        assertEquals(40.0, fused.item(), 1e-12);
    }

    @Test
    void binaryLabelsOutsideZeroOneAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropy(Tensor.row(.5, .5, .5), Tensor.row(1, 2, 0)));
        assertEquals("binaryCrossEntropy: labels must be 0 or 1, found 2.0 at (0, 1); hint: for several classes use"
                + " softmaxCrossEntropyFromLogits", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropyFromLogits(Tensor.row(.5, .5), Tensor.row(-1, 0)));
        assertEquals("binaryCrossEntropy: output has 1.5 at (0, 0), outside [0, 1]; hint: apply sigmoid first, or use"
                + " binaryCrossEntropyFromLogits on Z", assertThrows(IllegalArgumentException.class,
                        () -> Losses.binaryCrossEntropy(Tensor.row(1.5), Tensor.row(1))).getMessage());
        // NaN outputs are reported by the training loop with epoch and iteration, not here
        assertTrue(Double.isNaN(Losses.binaryCrossEntropy(Tensor.row(Double.NaN), Tensor.row(1)).item()));
    }

    @Test
    void shapesMustMatchExactly() {
        assertEquals("binaryCrossEntropy: labels (3, 1) must have the shape of the output (1, 3) (labels are not"
                + " broadcast); hint: the labels look transposed; one example per column, so pass labels.transpose()",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.binaryCrossEntropy(Tensor.row(.1, .2, .3), Tensor.column(1, 0, 1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.meanSquaredError(Tensor.zeros(2, 3), Tensor.zeros(1, 3)));
    }

    @Test
    void everyLossRefusesLabelsOfAnotherShape() {
        // the shared check (Checks.labels) runs in every loss, the Loss constants and MSE included
        Tensor out = Tensor.zeros(3, 5), row = Tensor.row(0, 2, 1, 1, 0);
        for (Loss loss : List.of(Losses.BINARY_CROSS_ENTROPY, Losses.BINARY_CROSS_ENTROPY_FROM_LOGITS,
                Losses.SOFTMAX_CROSS_ENTROPY_FROM_LOGITS, Losses.MEAN_SQUARED_ERROR, Losses.HALF_SQUARED_ERROR)) {
            String m = assertThrows(IllegalArgumentException.class, () -> loss.cost(out, row)).getMessage();
            assertTrue(m.endsWith(": labels (1, 5) must have the shape of the output (3, 5) (labels are not broadcast);"
                    + " hint: for integer class labels given as a row, pass one-hot columns of shape (3, m) (nn's Losses.oneHot(labels, 3) builds them)"), m);
            assertThrows(IllegalArgumentException.class, () -> loss.cost(Tensor.zeros(1, 5), Tensor.zeros(5, 1)));
            assertThrows(IllegalArgumentException.class, () -> loss.cost(Tensor.zeros(1, 5), Tensor.zeros(1, 1)));
        }
        assertEquals("meanSquaredError: labels (5, 1) must have the shape of the output (1, 5) (labels are not"
                + " broadcast); hint: the labels look transposed; one example per column, so pass labels.transpose()",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.meanSquaredError(Tensor.zeros(1, 5), Tensor.zeros(5, 1))).getMessage());
        // a custom loss written with the fused Tensor loss gets the same check
        Loss custom = (z, labels) -> z.sigmoidCrossEntropyWithLogits(labels).mean();
        assertThrows(IllegalArgumentException.class, () -> custom.cost(Tensor.zeros(1, 5), Tensor.zeros(5, 1)));
    }

    @Test
    void softmaxCrossEntropyWithIntegerOrOneHotLabels() {
        // z (3 classes, 3 examples), labels [2, 1, 0]: -mean(log_softmax(z)[label_j, j])
        Tensor z = Tensor.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.7, -1.0}, {2.0, 0.1, 0.0}});
        int[] labels = {2, 1, 0};
        assertEquals(0.5075710818802099, Losses.softmaxCrossEntropyFromLogits(z, labels).item(), 1e-15);
        Tensor oneHot = Losses.oneHot(labels, 3);
        assertArrayEquals(new double[] {0, 0, 1, 0, 1, 0, 1, 0, 0}, oneHot.toRowMajorArray(), 0.0);
        assertEquals(0.5075710818802099, Losses.softmaxCrossEntropyFromLogits(z, oneHot).item(), 1e-15);
        assertEquals("oneHot: label 3 of example 1 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropyFromLogits(z, new int[] {0, 3, 1})).getMessage());
        assertEquals("softmaxCrossEntropyFromLogits: 2 labels for logits (3, 3): expected one label per column (3)",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.softmaxCrossEntropyFromLogits(z, new int[] {0, 1})).getMessage());
    }

    @Test
    void squaredErrors() {
        Tensor yHat = Tensor.of(new double[][] {{1, 2}, {3, 5}});
        Tensor y = Tensor.of(new double[][] {{0, 2}, {1, 1}});
        // squared errors 1, 0, 4, 16: sum 21 over n = 2 outputs, m = 2 examples
        assertEquals(21.0 / 4, Losses.meanSquaredError(yHat, y).item(), 0.0);
        assertEquals(21.0 / 4, Losses.MEAN_SQUARED_ERROR.cost(yHat, y).item(), 0.0);
        assertEquals(21.0 / 2 / 2, Losses.halfSquaredError(yHat, y).item(), 0.0);
    }

    @Test
    void l2CostMatchesTheRegularizationNotebook() {
        // np.random.seed(1); Y = [[1,1,0,1,0]]; W1 = randn(2,3); b1 = randn(2,1); W2 = randn(3,2); b2 = randn(3,1);
        // W3 = randn(1,3); b3 = randn(1,1); a3 = [[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]];
        // compute_cost_with_regularization(a3, Y, parameters, lambd=0.1): published 1.78648594516
        NumpyRandom rng = new NumpyRandom(1);
        Sequential model = new Sequential();
        int[][] dims = {{3, 2}, {2, 3}, {3, 1}};
        for (int l = 0; l < 3; l++) {
            Dense d = new Dense(dims[l][0], dims[l][1], Activation.RELU, Initializer.ZEROS, rng);
            d.weight().assign(Tensor.randn(dims[l][1], dims[l][0], rng));
            d.bias().assign(Tensor.randn(dims[l][1], 1, rng));
            model.add("layer" + (l + 1), d);
        }
        Tensor a3 = Tensor.row(0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402);
        Tensor y = Tensor.row(1, 1, 0, 1, 0);
        Loss regularized = Costs.withL2(Losses.BINARY_CROSS_ENTROPY, model, 0.1);
        assertEquals(1.7864859451590758, regularized.cost(a3, y).item(), 1e-14);
        assertEquals(0.18398434040175327, Costs.l2(model, 0.1, 5).item(), 1e-15);
        assertEquals(3, Costs.weights(model).size());
        assertSame(Losses.BINARY_CROSS_ENTROPY, Costs.withL2(Losses.BINARY_CROSS_ENTROPY, model, 0));

        // its gradient is (λ/m)·W, and biases are not regularized
        model.zeroGrad();
        Costs.l2(model, 0.1, 5).backward();
        Tensor w2 = model.parameters().get("layer2.W");
        double[] w = w2.toRowMajorArray(), g = w2.grad().toRowMajorArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(0.1 / 5 * w[i], g[i], 1e-16);
        }
        assertTrue(!model.parameters().get("layer2.b").hasGrad());
        assertEquals("withL2: lambda must be finite and >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> Costs.withL2(Losses.BINARY_CROSS_ENTROPY, model, -1)).getMessage());
    }
}
