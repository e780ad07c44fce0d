/**
 * Predictions and classification metrics: {@link io.github.chainrule.nn.metrics.Predictions}
 * (threshold 0.5 for a {@code (1, m)} output, arg-max per column for {@code (classes, m)}),
 * {@link io.github.chainrule.nn.metrics.Metrics} (accuracy, precision, recall, F1),
 * {@link io.github.chainrule.nn.metrics.ConfusionMatrix}, and
 * {@link io.github.chainrule.nn.metrics.Metric}, a named metric the trainer records per epoch.
 *
 * <p>Depends on {@code io.github.chainrule.autodiff} and {@link io.github.chainrule.nn.Module}.
 */
package io.github.chainrule.nn.metrics;
