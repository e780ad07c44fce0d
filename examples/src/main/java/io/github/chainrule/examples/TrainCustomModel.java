package io.github.chainrule.examples;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Loss;
import io.github.chainrule.nn.Module;
import io.github.chainrule.nn.data.Batching;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Standardizer;
import io.github.chainrule.nn.io.SafeTensors;
import io.github.chainrule.nn.metrics.Metric;
import io.github.chainrule.nn.metrics.Metrics;
import io.github.chainrule.nn.metrics.Predictions;
import io.github.chainrule.nn.optim.Adam;
import io.github.chainrule.nn.optim.LearningRateSchedule;
import io.github.chainrule.nn.train.History;
import io.github.chainrule.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains a hand-written two-layer network (2 → 8 tanh → 1 sigmoid) on two noisy concentric
 * rings with Adam and the course's mini-batches, with a progress bar, then saves it as a
 * safetensors file, loads it into a fresh model and checks the predictions agree.
 */
public final class TrainCustomModel {
    private TrainCustomModel() {
    }

    /** A custom model: parameters registered by hand, forward written with tensor operations. */
    static final class TwoLayerNet extends Module {
        final Tensor w1, b1, w2, b2;

        TwoLayerNet(int nx, int nh, NumpyRandom rng) {
            w1 = registerParameter("W1", Tensor.randn(nh, nx, rng).mul(Math.sqrt(1.0 / nx)).detach());
            b1 = registerParameter("b1", Tensor.zeros(nh, 1));
            w2 = registerParameter("W2", Tensor.randn(1, nh, rng).mul(Math.sqrt(1.0 / nh)).detach());
            b2 = registerParameter("b2", Tensor.zeros(1, 1));
        }

        @Override
        public Tensor forward(Tensor x) {                 // x: (2, m)
            Tensor a1 = w1.matmul(x).add(b1).tanh();        // (8, m)
            return w2.matmul(a1).add(b2);                   // logits (1, m)
        }
    }

    /** Points on two rings of radius 1 and 2 with Gaussian noise; label 1 for the inner ring. */
    static Dataset rings(int m, NumpyRandom rng) {
        double[][] x = new double[2][m];
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            double t = 2 * Math.PI * rng.rand(), r = (j % 2 == 0 ? 1 : 2) + 0.25 * rng.randn();
            x[0][j] = r * Math.cos(t);
            x[1][j] = r * Math.sin(t);
            y[j] = j % 2 == 0 ? 1 : 0;
        }
        return new Dataset(Tensor.of(x), Tensor.row(y));
    }

    /** Trains, saves into {@code args[0]} (default {@code chainrule-out}), loads and compares. */
    public static void main(String[] args) throws Exception {
        run(Path.of(args.length > 0 ? args[0] : "chainrule-out"));
    }

    /** Trains the model, saves it as {@code rings.safetensors} in {@code outDir}, loads it into a fresh model and compares. */
    public static void run(Path outDir) throws Exception {
        var rng = new NumpyRandom(1);
        Dataset.Split split = rings(1000, rng).split(0.8, 2);
        Standardizer scale = Standardizer.fit(split.train().x());
        Dataset train = scale.transform(split.train()), test = scale.transform(split.test());

        var model = new TwoLayerNet(2, 8, rng);
        Loss bceFromLogits = (z, labels) -> z.sigmoidCrossEntropyWithLogits(labels).mean();
        History history = Trainer.builder(model, bceFromLogits, new Adam(model, 0.01))
                .epochs(200)
                .batching(Batching.course(64, 10))                 // the optimization notebook's shuffling
                .schedule(LearningRateSchedule.inverseTimeStepped(0.5, 100))
                .metrics(Metric.accuracyFromLogits())
                .printCostEvery(50, Trainer.CostUnit.EPOCH)
                .build()
                .fit(train, test);
        System.out.println(history);

        Files.createDirectories(outDir);
        Path file = outDir.resolve("rings.safetensors");
        SafeTensors.save(model, file, history.toMetadata());
        var loaded = new TwoLayerNet(2, 8, new NumpyRandom(99));
        SafeTensors.load(loaded, file);
        Tensor predicted = Predictions.predict(loaded, test.x(), 0);   // threshold 0 on logits
        System.out.printf("saved and loaded %s (%d bytes)%n", file.getFileName(), Files.size(file));
        System.out.printf("test accuracy of the loaded model: %.4f (same predictions as the trained one: %b)%n",
                Metrics.accuracy(predicted, test.y()),
                java.util.Arrays.equals(predicted.toRowMajorArray(),
                        Predictions.predict(model, test.x(), 0).toRowMajorArray()));
        System.out.println(Metrics.confusionMatrix(predicted, test.y()));
    }
}
