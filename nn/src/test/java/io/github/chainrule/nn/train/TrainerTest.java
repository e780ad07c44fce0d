package io.github.chainrule.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Loss;
import io.github.chainrule.nn.data.Batching;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.metrics.Metric;
import io.github.chainrule.nn.optim.Adam;
import io.github.chainrule.nn.optim.GradientDescent;
import io.github.chainrule.nn.optim.LearningRateSchedule;
import io.github.chainrule.nn.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final double[][] X = {{1, 2, -1, 0.5}, {0.5, -1, 2, 1}};
    static final double[] Y = {1, 0, 1, 0};

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static Dataset data() {
        return new Dataset(Tensor.of(X), Tensor.row(Y));
    }

    /** Separable points: label 1 iff x0 + x1 > 0. */
    static Dataset separable(int m) {
        var rng = new io.github.chainrule.autodiff.NumpyRandom(7);
        double[][] x = rng.randn(2, m);
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            y[j] = x[0][j] + x[1][j] > 0 ? 1 : 0;
        }
        return new Dataset(Tensor.of(x), Tensor.row(y));
    }

    @Test
    void fullBatchGradientDescentReproducesHandWrittenLogisticRegressionAndPrintsLikeTheCourse() {
        // the course's vectorized logistic regression in plain doubles: dw = X(A−Y)ᵀ/m, db = mean(A−Y)
        double[] w = new double[2];
        double b = 0, lr = 0.1;
        int m = Y.length;
        double[] costs = new double[3];
        for (int it = 0; it < 3; it++) {
            double[] a = new double[m];
            double cost = 0, db = 0;
            double[] dw = new double[2];
            for (int j = 0; j < m; j++) {
                a[j] = 1 / (1 + Math.exp(-(w[0] * X[0][j] + w[1] * X[1][j] + b)));
                cost -= (Y[j] * Math.log(a[j]) + (1 - Y[j]) * Math.log(1 - a[j])) / m;
                dw[0] += (a[j] - Y[j]) * X[0][j] / m;
                dw[1] += (a[j] - Y[j]) * X[1][j] / m;
                db += (a[j] - Y[j]) / m;
            }
            costs[it] = cost;
            w[0] -= lr * dw[0];
            w[1] -= lr * dw[1];
            b -= lr * db;
        }
        var model = new TinyModels.LogisticRegression(2);
        History h = Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, lr))
                .epochs(3).printCostEvery(2, Trainer.CostUnit.ITERATION).progress(Progress.none(out)).build()
                .fit(data());
        assertArrayEquals(costs, h.iterationCosts(), 1e-15);
        assertArrayEquals(costs, h.epochCosts(), 1e-15);
        assertArrayEquals(w, model.w.toRowMajorArray(), 1e-15);
        assertEquals(b, model.b.item(), 1e-15);
        assertEquals(String.format(java.util.Locale.ROOT, "Cost after iteration 0: 0.693147%nCost after iteration 2: %f%n",
                costs[2]), output());
        assertFalse(h.stoppedEarly());
        assertTrue(h.wallTime().toNanos() > 0);
    }

    @Test
    void epochCostIsBatchCostsWeightedBySizeAndEpochPrintingUsesIt() {
        var model = new TinyModels.LogisticRegression(2);
        History h = Trainer.builder(model, TinyModels.binaryCrossEntropy(), new Adam(model, 0.01)).epochs(2)
                .batching(Batching.course(3, 10)).printCostEvery(1, Trainer.CostUnit.EPOCH)
                .progress(Progress.none(out)).build().fit(separable(7));
        double[] it = h.iterationCosts();
        assertEquals(6, it.length); // batches of 3, 3, 1 per epoch
        assertEquals((3 * it[0] + 3 * it[1] + 1 * it[2]) / 7, h.epochCosts()[0], 1e-15);
        assertEquals((3 * it[3] + 3 * it[4] + 1 * it[5]) / 7, h.epochCosts()[1], 1e-15);
        assertEquals(String.format(java.util.Locale.ROOT, "Cost after epoch 0: %f%nCost after epoch 1: %f%n",
                h.epochCosts()[0], h.epochCosts()[1]), output());
    }

    @Test
    void scheduleDecaysAfterEachEpochInTheCoursesOrder() {
        var model = new TinyModels.LogisticRegression(2);
        var opt = new GradientDescent(model, 0.5);
        History h = Trainer.builder(model, TinyModels.binaryCrossEntropy(), opt).epochs(4)
                .schedule(LearningRateSchedule.inverseTime(1)).progress(Progress.none(out)).build().fit(data());
        // notebook: after epoch i, learning_rate = update_lr(learning_rate0, i, decay_rate)
        assertArrayEquals(new double[] {0.5, 0.5 / 1, 0.5 / 2, 0.5 / 3}, h.learningRates(), 1e-15);
        assertEquals(0.5 / 4, opt.learningRate(), 1e-15);
    }

    @Test
    void everyFitSchedulesFromTheInitialRate() {
        var model = new TinyModels.LogisticRegression(2);
        var opt = new GradientDescent(model, 0.5);
        Trainer trainer = Trainer.builder(model, TinyModels.binaryCrossEntropy(), opt).epochs(3)
                .schedule(LearningRateSchedule.inverseTime(1)).progress(Progress.none(out)).build();
        trainer.fit(data());
        History second = trainer.fit(data());
        assertArrayEquals(new double[] {0.5, 0.5 / 1, 0.5 / 2}, second.learningRates(), 1e-15);
    }

    @Test
    void metricsAndValidationAreRecordedPerEpoch() {
        var model = new TinyModels.LogisticRegression(2);
        Dataset.Split split = separable(200).split(150);
        History h = Trainer.builder(model, TinyModels.binaryCrossEntropy(), new Adam(model, 0.05)).epochs(30)
                .batching(Batching.shuffled(32, 3)).metrics(Metric.accuracy(), Metric.f1()).evaluateEvery(10)
                .progress(Progress.none(out)).build().fit(split.train(), split.test());
        assertArrayEquals(new int[] {0, 10, 20, 29}, h.metricEpochs());
        assertEquals(List.of("accuracy", "f1", "val_cost", "val_accuracy", "val_f1"), h.metricNames());
        double[] acc = h.metric("accuracy");
        assertEquals(4, acc.length);
        assertTrue(acc[3] > 0.95, "separable data is learned: " + Arrays.toString(acc));
        assertTrue(h.metric("val_accuracy")[3] > 0.9);
        assertTrue(h.epochCosts()[29] < h.epochCosts()[0]);
        assertTrue(model.isTraining(), "evaluation restores training mode");
        assertEquals("History.metric: no metric \"loss\"; recorded: [accuracy, f1, val_cost, val_accuracy, val_f1]",
                assertThrows(IllegalArgumentException.class, () -> h.metric("loss")).getMessage());
        assertEquals("30", h.toMetadata().get("epochs"));
    }

    @Test
    void plainLinesHaveNoCarriageReturnsOrEscapes() {
        var model = new TinyModels.LogisticRegression(2);
        Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1)).epochs(25)
                .batching(Batching.inOrder(2)).progress(Progress.lines(out, 10))
                .printCostEvery(20, Trainer.CostUnit.ITERATION).build().fit(data());
        String text = output();
        assertFalse(text.contains("\r"), text);
        assertFalse(text.contains("\u001b"), text);
        List<String> lines = text.lines().toList();
        List<String> progress = lines.stream().filter(l -> l.contains("%|")).toList();
        assertEquals(10, progress.size(), text);
        assertTrue(progress.get(0).matches(" 10%\\|#         \\| 5/50 \\[\\d\\d:\\d\\d<\\d\\d:\\d\\d, [\\d.]+it/s, epoch=3/25,"
                + " cost=\\d\\.\\d{4}\\]"), progress.get(0));
        assertTrue(progress.get(9).startsWith("100%|##########| 50/50 ["), progress.get(9));
        assertEquals(List.of("Cost after iteration 0", "Cost after iteration 20", "Cost after iteration 40"),
                lines.stream().filter(l -> l.startsWith("Cost")).map(l -> l.substring(0, l.indexOf(':'))).toList());
    }

    @Test
    void autoProgressOnAnInjectedStreamIsPlainLines() {
        var model = new TinyModels.LogisticRegression(2);
        Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1)).epochs(3)
                .output(out).build().fit(data());
        assertEquals(3, output().lines().count(), output());
        assertFalse(output().contains("\r"));
    }

    @Test
    void terminalBarRedrawsWithCarriageReturns() {
        var model = new TinyModels.LogisticRegression(2);
        Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1)).epochs(5)
                .progress(Progress.bar(out)).build().fit(data());
        String text = output();
        assertTrue(text.contains("\r"), text);
        assertTrue(text.contains("100%|") && text.contains("5/5 [") && text.contains("cost="), text);
    }

    @Test
    void nanStopsTrainingNamingEpochIterationAndFirstParameterWithBadGradient() {
        var model = new TinyModels.TwoLayer();
        double[] before = model.hidden1.w.toRowMajorArray();
        Dataset bad = new Dataset(Tensor.of(new double[][] {{1, Double.NaN}, {0, 1}}), Tensor.row(1, 0));
        var trainer = Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1))
                .epochs(3).progress(Progress.none(out)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(bad));
        assertEquals("fit: training stopped at epoch 0, iteration 0 (batch 1 of 1): the cost is NaN; the first"
                + " parameter with a non-finite gradient is \"hidden1.W\" (3, 2) (gradient NaN at (0, 0)); the"
                + " parameters keep their values from before this step; hint: lower the learning rate (now 0.1),"
                + " check the inputs for NaN, or compute the cost from logits", e.getMessage());
        assertEquals("hidden1.W", e.parameter());
        assertEquals(0, e.epoch());
        assertEquals(0, e.iteration());
        assertArrayEquals(before, model.hidden1.w.toRowMajorArray());
        assertTrue(output().contains("training stopped at epoch 0"));
        assertTrue(e.history().stoppedEarly());
    }

    @Test
    void divergenceLaterInTrainingNamesTheRightEpochAndKeepsTheHistory() {
        var model = new TinyModels.LogisticRegression(2);
        // a learning rate this large overflows exp in the sigmoid's log within a few steps
        Loss mse = TinyModels.meanSquaredError();
        Loss exploding = (a, y) -> mse.cost(a, y).add(model.w.pow(2).sum().exp());
        var trainer = Trainer.builder(model, exploding, new GradientDescent(model, 10)).epochs(50)
                .batching(Batching.inOrder(2)).progress(Progress.none(out)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(data()));
        assertTrue(e.iteration() > 0, e.getMessage());
        assertEquals(e.iteration() / 2, e.epoch());
        assertEquals(e.iteration(), e.history().iterations());
        assertEquals(e.history().epochCosts().length, e.history().learningRates().length,
                "one learning rate per completed epoch");
        assertTrue(e.getMessage().contains("iteration " + e.iteration() + " (batch " + (e.iteration() % 2 + 1)
                + " of 2)"), e.getMessage());
    }

    @Test
    void infiniteCostWithFiniteGradientsIsExplainedAndCanBeTolerated() {
        var model = new TinyModels.LogisticRegression(2);
        Loss mse = TinyModels.meanSquaredError();
        Loss infinite = (a, y) -> mse.cost(a, y).add(Tensor.scalar(0).log());
        var stopping = Trainer.builder(model, infinite, new GradientDescent(model, 0.1)).epochs(2)
                .progress(Progress.none(out)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> stopping.fit(data()));
        assertTrue(e.getMessage().contains("the cost is -Infinity; all gradients are finite (the cost itself"
                + " overflowed, e.g. log(0) of a saturated sigmoid)"), e.getMessage());
        assertNull(e.parameter());
        bytes.reset();
        History h = Trainer.builder(model, infinite, new GradientDescent(model, 0.1)).epochs(3)
                .stopOnNonFinite(false).progress(Progress.none(out)).build().fit(data());
        assertEquals(3, h.epochs());
        assertEquals(1, output().lines().filter(l -> l.startsWith("fit: warning at epoch 0, iteration 0")).count(),
                output());
    }

    @Test
    void badConfigurationGivesClearErrors() {
        var model = new TinyModels.LogisticRegression(2);
        var b = Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1));
        assertEquals("Trainer: epochs must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> b.epochs(0)).getMessage());
        assertEquals("Trainer: printCostEvery must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> b.printCostEvery(0, Trainer.CostUnit.ITERATION)).getMessage());
        assertEquals("Trainer: metric \"accuracy\" is given twice", assertThrows(IllegalArgumentException.class,
                () -> b.metrics(Metric.accuracy(), Metric.accuracy())).getMessage());
        assertEquals("Batching.shuffled: batch size must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> b.batchSize(0, 1)).getMessage());
        assertEquals("fit: train must not be null",
                assertThrows(NullPointerException.class, () -> b.build().fit(null)).getMessage());
        Loss notScalar = (a, y) -> a.sub(y);
        var t = Trainer.builder(model, notScalar, new GradientDescent(model, 0.1)).progress(Progress.none(out)).build();
        assertEquals("fit: the loss returned a tensor of shape (1, 4); a cost must be (1, 1); hint: take the mean"
                + " over the examples", assertThrows(IllegalArgumentException.class, () -> t.fit(data())).getMessage());
        assertEquals("Trainer: model must not be null", assertThrows(NullPointerException.class,
                () -> Trainer.builder(null, notScalar, new GradientDescent(model, 0.1))).getMessage());
    }

    /** A model that keeps its latest output as it computed it, graph and all, instead of a copy. */
    static final class KeepsItsOutput extends io.github.chainrule.nn.Module {
        final TinyModels.LogisticRegression inner = registerModule("inner", new TinyModels.LogisticRegression(2));
        Tensor last;

        @Override
        public Tensor forward(Tensor x) {
            last = inner.forward(x).named("A");
            return last;
        }
    }

    @Test
    void eachStepReleasesItsGraphSoAKeptActivationFailsNamingItselfWhileACopyStays() {
        KeepsItsOutput model = new KeepsItsOutput();
        Trainer.builder(model, TinyModels.binaryCrossEntropy(), new GradientDescent(model, 0.1)).epochs(2)
                .progress(Progress.none(out)).build().fit(data());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.last.get(0, 0));
        assertTrue(e.getMessage().contains("\"A\" (1, 4) was computed inside a Step that has closed")
                && e.getMessage().contains("detach()"), e.getMessage());
        // the parameters and their gradients are not the step's: they stay readable
        assertTrue(Double.isFinite(model.inner.w.get(0, 0)) && model.inner.w.grad().size() == 2);
        // evaluation outside fit records nothing in a step: its output stays
        Tensor a = model.forward(Tensor.of(X));
        assertEquals(4, a.toRowMajorArray().length);
    }

    /**
     * A training step of a Dense network allocates almost none of what it holds: activations are
     * written into the previous step's storage (the step runs in a Step), gradients too (the trainer
     * checks them for NaN without handing them out), and the layers' copies of their latest values
     * go into buffers kept between steps. Bytes, not time.
     */
    @Test
    void aTrainingStepOfADenseNetworkAllocatesLittleOfWhatItHolds() {
        int m = 256;
        var rng = new io.github.chainrule.autodiff.NumpyRandom(3);
        double[] oneHot = new double[10 * m];
        for (int j = 0; j < m; j++) {
            oneHot[(j % 10) * m + j] = 1;
        }
        Dataset data = new Dataset(Tensor.randn(784, m, rng), Tensor.fromRowMajor(10, m, oneHot));
        var model = io.github.chainrule.nn.Sequential.builder(784, 64, 10)
                .hidden(io.github.chainrule.nn.Activation.RELU).output(io.github.chainrule.nn.Activation.IDENTITY)
                .seed(1).build();
        Trainer trainer = Trainer.builder(model, io.github.chainrule.nn.Losses.SOFTMAX_CROSS_ENTROPY_FROM_LOGITS,
                new GradientDescent(model, 0.01)).epochs(50).progress(Progress.none(out)).build();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        trainer.fit(data);
        long start = threads.getCurrentThreadAllocatedBytes();
        trainer.fit(data); // 50 full-batch steps
        long perStep = (threads.getCurrentThreadAllocatedBytes() - start) / 50;
        // Z and A of both layers, and one gradient per parameter
        long holds = 8L * (2 * 64 * m + 2 * 10 * m + 784 * 64 + 64 + 64 * 10 + 10);
        assertTrue(perStep < holds / 10, "a training step allocates " + perStep + " bytes; it holds " + holds);
        assertEquals(m, model.forward(data.x()).cols()); // and the layers' latest values stay readable
    }
}
