package io.github.chainrule.nn.metrics;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.util.function.ToDoubleBiFunction;

/**
 * A named number computed from a model's output {@code A[L]} and the labels {@code Y} of a whole
 * data set, which the trainer records per epoch (e.g. {@code "accuracy"}; with a validation set
 * also {@code "val_accuracy"}).
 *
 * @param name     the key in the training history
 * @param function {@code (output, labels) → value}
 */
public record Metric(String name, ToDoubleBiFunction<Tensor, Tensor> function) {

    /** @throws IllegalArgumentException if the name is empty or starts with {@code "val_"} */
    public Metric {
        Checks.notNull(name, "Metric", "name");
        Checks.notNull(function, "Metric", "function");
        Checks.argument(!name.isBlank() && !name.startsWith("val_") && !name.equals("cost"), "Metric: name \"%s\""
                + " must be non-blank, not \"cost\" and not start with \"val_\" (reserved for validation)", name);
    }

    /** Evaluates the metric. */
    public double compute(Tensor output, Tensor labels) {
        return function.applyAsDouble(output, labels);
    }

    /** Accuracy of {@link Predictions#classify(Tensor)} (threshold 0.5 or arg-max) against the labels. */
    public static Metric accuracy() {
        return new Metric("accuracy", (out, y) -> Metrics.accuracy(Predictions.classify(out), y));
    }

    /** Accuracy for a model whose {@code (1, m)} output is a logit: threshold 0. */
    public static Metric accuracyFromLogits() {
        return new Metric("accuracy", (out, y) -> Metrics.accuracy(Predictions.classify(out, 0), y));
    }

    /** Binary precision (positive class 1) of the thresholded output. */
    public static Metric precision() {
        return new Metric("precision", (out, y) -> Metrics.precision(Predictions.classify(out), y));
    }

    /** Binary recall (positive class 1) of the thresholded output. */
    public static Metric recall() {
        return new Metric("recall", (out, y) -> Metrics.recall(Predictions.classify(out), y));
    }

    /** Binary F1 (positive class 1) of the thresholded output. */
    public static Metric f1() {
        return new Metric("f1", (out, y) -> Metrics.f1(Predictions.classify(out), y));
    }
}
