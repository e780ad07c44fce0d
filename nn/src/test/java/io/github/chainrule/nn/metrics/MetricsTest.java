package io.github.chainrule.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.testing.TinyModels;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void binaryThresholdIsStrictlyAboveHalfLikeTheCourse() {
        // course predict: p[0, i] = 1 if probas[0, i] > 0.5 else 0
        Tensor a = Tensor.row(0.2, 0.5, 0.50001, 0.9);
        assertArrayEquals(new double[] {0, 0, 1, 1}, Predictions.classify(a).toRowMajorArray());
        assertArrayEquals(new double[] {0, 1, 1, 1}, Predictions.classify(Tensor.row(-1, 0.1, 0.2, 3), 0)
                .toRowMajorArray());
    }

    @Test
    void multiClassIsArgMaxPerColumnFirstOnTies() {
        Tensor scores = Tensor.of(new double[][] {{0.1, 0.7, 0.3}, {0.8, 0.2, 0.3}, {0.1, 0.1, 0.3}});
        assertArrayEquals(new double[] {1, 0, 0}, Predictions.classify(scores).toRowMajorArray());
    }

    @Test
    void predictRunsInEvalModeAndRestoresTraining() {
        var model = new TinyModels.LogisticRegression(2);
        model.w.assign(Tensor.row(1, -1));
        Tensor x = Tensor.of(new double[][] {{2, 0}, {0, 2}});
        assertArrayEquals(new double[] {1, 0}, Predictions.predict(model, x).toRowMajorArray());
        assertTrue(model.isTraining());
        assertTrue(!Predictions.output(model, x).requiresGrad(), "no graph is recorded");
        model.eval();
        Predictions.predict(model, x);
        assertTrue(!model.isTraining());
    }

    @Test
    void binaryMetricsByHand() {
        Tensor y = Tensor.row(1, 1, 0, 0, 1, 0, 1, 1), p = Tensor.row(1, 0, 0, 1, 1, 0, 1, 0);
        // TP = 3 (columns 0, 4, 6), FN = 2 (1, 7), FP = 1 (3), TN = 2
        assertEquals(5.0 / 8, Metrics.accuracy(p, y));
        assertEquals(3.0 / 4, Metrics.precision(p, y));
        assertEquals(3.0 / 5, Metrics.recall(p, y));
        assertEquals(2 * 0.75 * 0.6 / (0.75 + 0.6), Metrics.f1(p, y), 1e-15);
        ConfusionMatrix c = Metrics.confusionMatrix(p, y);
        assertEquals(2, c.count(0, 0));
        assertEquals(1, c.count(0, 1));
        assertEquals(2, c.count(1, 0));
        assertEquals(3, c.count(1, 1));
        assertEquals("actual \\ predicted     0     1\n"
                + "                 0     2     1\n"
                + "                 1     2     3\n"
                + "class    precision    recall        f1\n"
                + "0           0.5000    0.6667    0.5714\n"
                + "1           0.7500    0.6000    0.6667\n"
                + "accuracy 0.6250 (8 examples)", c.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void zeroDivisionGivesZero() {
        Tensor y = Tensor.row(0, 0, 1), p = Tensor.row(0, 0, 0);
        assertEquals(0, Metrics.precision(p, y));
        assertEquals(0, Metrics.recall(p, y));
        assertEquals(0, Metrics.f1(p, y));
    }

    @Test
    void multiClassConfusionMatrixAndOneHotLabels() {
        // actual 0,1,2,2,1,0 as one-hot columns; predicted 0,2,2,1,1,0
        Tensor oneHot = Tensor.of(new double[][] {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 1, 0, 0}});
        Tensor p = Tensor.row(0, 2, 2, 1, 1, 0);
        assertEquals(4.0 / 6, Metrics.accuracy(p, oneHot));
        ConfusionMatrix c = Metrics.confusionMatrix(p, oneHot);
        assertEquals(3, c.classes());
        assertEquals(1.0, c.precision(0));
        assertEquals(0.5, c.precision(1));
        assertEquals(0.5, c.recall(2));
        assertEquals((1 + 0.5 + 0.5) / 3, c.macroF1(), 1e-15);
        assertEquals(4.0 / 6, c.accuracy(), 1e-15);
    }

    @Test
    void badInputsGiveClearErrors() {
        assertEquals("accuracy: predicted (1, 3) and labels (1, 2) have different numbers of examples (columns):"
                + " 3 != 2", assertThrows(IllegalArgumentException.class,
                        () -> Metrics.accuracy(Tensor.row(0, 1, 1), Tensor.row(0, 1))).getMessage());
        assertEquals("accuracy: predicted (1, 2) must hold class indices 0, 1, ...; found 0.7 at column 1; hint:"
                + " classify probabilities first with Predictions.classify(output)", assertThrows(
                        IllegalArgumentException.class,
                        () -> Metrics.accuracy(Tensor.row(0, 0.7), Tensor.row(0, 1))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Metrics.precision(Tensor.row(0, 2), Tensor.row(0, 1))).getMessage()
                .startsWith("precision: binary metric needs classes 0 and 1, found class 2"));
        assertEquals("classify: output (1, 2) has NaN at (0, 1); the model diverged or its input holds NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> Predictions.classify(Tensor.row(0.3, Double.NaN))).getMessage());
    }
}
