package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Activation;
import io.github.chainrule.nn.Initializer;
import io.github.chainrule.nn.Losses;
import io.github.chainrule.nn.Sequential;
import io.github.chainrule.nn.data.Batching;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import io.github.chainrule.nn.io.SafeTensors;
import io.github.chainrule.nn.metrics.Metric;
import io.github.chainrule.nn.metrics.Metrics;
import io.github.chainrule.nn.metrics.Predictions;
import io.github.chainrule.nn.optim.Adam;
import io.github.chainrule.nn.train.History;
import io.github.chainrule.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link Sequential} model from the course's {@code layers_dims} = [2, 10, 5, 1], trained on
 * the circles data with Adam and a progress bar, saved as a safetensors file and loaded into a
 * freshly built model whose predictions then agree.
 */
public final class TrainSequential {
    private TrainSequential() {
    }

    public static void main(String[] args) throws Exception {
        run(Path.of(args.length > 0 ? args[0] : "chainrule-out"));
    }

    /** Trains, saves {@code circles.safetensors} into {@code outDir}, loads and compares. */
    public static void run(Path outDir) throws Exception {
        Dataset train = Datasets.circles(1, 300, 0.05), test = Datasets.circles(2, 100, 0.05);

        Sequential model = Sequential.builder(2, 10, 5, 1).hidden(Activation.RELU).output(Activation.IDENTITY)
                .initializer(Initializer.HE).seed(3).build();             // outputs logits
        History history = Trainer.builder(model, Losses.BINARY_CROSS_ENTROPY_FROM_LOGITS, new Adam(model, 0.01))
                .epochs(300)
                .batching(Batching.course(64, 10))
                .metrics(Metric.accuracyFromLogits())
                .printCostEvery(100, Trainer.CostUnit.EPOCH)
                .build()
                .fit(train, test);
        System.out.println(history);

        Files.createDirectories(outDir);
        Path file = outDir.resolve("circles.safetensors");
        SafeTensors.save(model, file, history.toMetadata());
        Sequential loaded = Sequential.builder(2, 10, 5, 1).hidden(Activation.RELU).output(Activation.IDENTITY)
                .initializer(Initializer.HE).seed(99).build();            // other weights, same architecture
        Map<String, String> metadata = SafeTensors.load(loaded, file);
        Tensor predicted = Predictions.predict(loaded, test.x(), 0);    // threshold 0 on logits
        System.out.printf("saved and loaded %s (%d bytes): %s%n", file.getFileName(), Files.size(file),
                metadata.get(SafeTensors.PARAMETERS_KEY));
        System.out.printf("test accuracy of the loaded model: %.2f (same predictions as the trained one: %b)%n",
                Metrics.accuracy(predicted, test.y()),
                java.util.Arrays.equals(predicted.toRowMajorArray(),
                        Predictions.predict(model, test.x(), 0).toRowMajorArray()));
    }
}
