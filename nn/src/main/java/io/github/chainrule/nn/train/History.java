package io.github.chainrule.nn.train;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run recorded:
 * <ul>
 *   <li>{@link #iterationCosts()}: the cost {@code J} of each mini-batch, computed in that
 *       iteration's forward pass before its update (what the course prints as
 *       "Cost after iteration i");</li>
 *   <li>{@link #epochCosts()}: per epoch, the mean cost over all m examples, i.e. the batch
 *       costs weighted by batch size ({@code cost_total / m} in the optimization notebook);</li>
 *   <li>{@link #learningRates()}: the learning rate used during each epoch;</li>
 *   <li>{@link #metric(String)}: metrics evaluated on the whole training set (and validation set,
 *       keys {@code "val_..."}) at the epochs {@link #metricEpochs()};</li>
 *   <li>{@link #wallTime()}: the run's wall-clock time.</li>
 * </ul>
 * Immutable.
 */
public final class History {
    private final double[] iterationCosts;
    private final double[] epochCosts;
    private final double[] learningRates;
    private final int[] metricEpochs;
    private final Map<String, double[]> metrics;
    private final Duration wallTime;
    private final String stopReason;

    private History(Recorder r, Duration wallTime, String stopReason) {
        this.iterationCosts = r.iterationCosts.stream().mapToDouble(Double::doubleValue).toArray();
        this.epochCosts = r.epochCosts.stream().mapToDouble(Double::doubleValue).toArray();
        this.learningRates = r.learningRates.stream().mapToDouble(Double::doubleValue).toArray();
        this.metricEpochs = r.metricEpochs.stream().mapToInt(Integer::intValue).toArray();
        Map<String, double[]> m = new LinkedHashMap<>();
        r.metrics.forEach((k, v) -> m.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        this.metrics = m;
        this.wallTime = wallTime;
        this.stopReason = stopReason;
    }

    /** The cost of every iteration (mini-batch step), in order; a copy. */
    public double[] iterationCosts() {
        return iterationCosts.clone();
    }

    /** The mean cost over all examples of every completed epoch; a copy. */
    public double[] epochCosts() {
        return epochCosts.clone();
    }

    /** The learning rate used during each completed epoch; a copy. */
    public double[] learningRates() {
        return learningRates.clone();
    }

    /** The number of completed epochs. */
    public int epochs() {
        return epochCosts.length;
    }

    /** The number of completed iterations. */
    public int iterations() {
        return iterationCosts.length;
    }

    /** The last epoch's cost, or the last iteration's if no epoch completed, or NaN if nothing ran. */
    public double finalCost() {
        if (epochCosts.length > 0) {
            return epochCosts[epochCosts.length - 1];
        }
        return iterationCosts.length > 0 ? iterationCosts[iterationCosts.length - 1] : Double.NaN;
    }

    /** The names of the recorded metrics ({@code "accuracy"}, {@code "val_cost"}, ...), in order. */
    public List<String> metricNames() {
        return List.copyOf(metrics.keySet());
    }

    /**
     * The values of metric {@code name} at each epoch of {@link #metricEpochs()}; a copy.
     *
     * @throws IllegalArgumentException if the metric was not recorded
     */
    public double[] metric(String name) {
        double[] v = metrics.get(name);
        Checks.argument(v != null, "History.metric: no metric \"%s\"; recorded: %s", name, metrics.keySet());
        return v.clone();
    }

    /** The 0-based epochs after which metrics were evaluated; a copy. */
    public int[] metricEpochs() {
        return metricEpochs.clone();
    }

    /** The wall-clock time of the run. */
    public Duration wallTime() {
        return wallTime;
    }

    /** Whether training stopped before the planned number of epochs. */
    public boolean stoppedEarly() {
        return stopReason != null;
    }

    /** Why training stopped early, or {@code null}. */
    public String stopReason() {
        return stopReason;
    }

    /**
     * Training facts as strings, for a model file's {@code __metadata__}: {@code epochs},
     * {@code iterations}, {@code final_cost}, {@code wall_time_seconds}, and the last value of each metric.
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs()));
        m.put("iterations", Integer.toString(iterations()));
        m.put("final_cost", Double.toString(finalCost()));
        m.put("wall_time_seconds", Double.toString(wallTime.toNanos() / 1e9));
        metrics.forEach((k, v) -> {
            if (v.length > 0) {
                m.put(k, Double.toString(v[v.length - 1]));
            }
        });
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("History(").append(epochs()).append(" epochs, ").append(iterations())
                .append(" iterations, final cost ").append(Format.number(finalCost()));
        metrics.forEach((k, v) -> {
            if (v.length > 0) {
                b.append(", ").append(k).append(' ').append(Format.number(v[v.length - 1]));
            }
        });
        b.append(", ").append(Progress.duration(wallTime)).append(')');
        if (stopReason != null) {
            b.append(" stopped early: ").append(stopReason);
        }
        return b.toString();
    }

    /** Mutable collector used by the trainer. */
    static final class Recorder {
        final List<Double> iterationCosts = new ArrayList<>();
        final List<Double> epochCosts = new ArrayList<>();
        final List<Double> learningRates = new ArrayList<>();
        final List<Integer> metricEpochs = new ArrayList<>();
        final Map<String, List<Double>> metrics = new LinkedHashMap<>();
        final long startNanos = System.nanoTime();

        void metric(String name, double value) {
            metrics.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }

        History build(String stopReason) {
            return new History(this, Duration.ofNanos(System.nanoTime() - startNanos), stopReason);
        }
    }
}
