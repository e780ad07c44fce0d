package io.github.chainrule.nn.train;

import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Format;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Step;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Loss;
import io.github.chainrule.nn.Module;
import io.github.chainrule.nn.Optimizer;
import io.github.chainrule.nn.data.Batching;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.metrics.Metric;
import io.github.chainrule.nn.metrics.Predictions;
import io.github.chainrule.nn.optim.LearningRateSchedule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link Module} by mini-batch gradient descent with any {@link Optimizer}.
 *
 * <p>For each epoch {@code e = 0 .. epochs−1}, for each batch {@code (X{t}, Y{t})} of
 * {@link Builder#batching} (shapes {@code (n_x, b)}, {@code (n_y, b)}):
 * <pre>
 *   clear gradients;  A = model.forward(X{t});  J = loss.cost(A, Y{t})   (1, 1)
 *   J.backward()                                  ∂J/∂θ for every parameter θ (intermediate gradients are not kept)
 *   stop if J or any ∂J/∂θ is NaN or ±∞           (see {@link Builder#stopOnNonFinite})
 *   optimizer.step()                              θ ← update(θ, ∂J/∂θ)
 * </pre>
 * Each batch's step runs inside an autodiff {@link Step}: when it ends, the graph it recorded
 * (activations included) is released and the next batch writes into that storage, so training
 * does not allocate its activations again every step. A module or loss must therefore not keep a
 * tensor it computed with gradients on beyond the step (the layers keep copies, made with
 * {@code detach()}, for diagnostics); using one afterwards fails, naming it.
 *
 * <p>After each epoch's batches, the epoch's cost {@code Σ_t b_t·J{t} / m} is recorded, metrics are evaluated on the
 * whole training (and validation) set in evaluation mode, and the learning rate becomes
 * {@code schedule.rate(α₀, e)} (the course's order: decay after the epoch).
 *
 * <pre>{@code
 * History h = Trainer.builder(model, loss, new Adam(model, 0.0007))
 *         .epochs(5000).batching(Batching.course(64, 10))
 *         .printCostEvery(1000, Trainer.CostUnit.EPOCH)
 *         .metrics(Metric.accuracy())
 *         .build()
 *         .fit(train);
 * }</pre>
 *
 * A trainer holds its configuration only and may run {@link #fit} several times (the optimizer
 * keeps its state across runs). Not thread-safe.
 */
public final class Trainer {

    /** What the course-style cost printing counts. */
    public enum CostUnit {
        /** "Cost after iteration i: J" with the cost of mini-batch step i (0, n, 2n, ...). */
        ITERATION,
        /** "Cost after epoch e: J" with the epoch's mean cost (0, n, 2n, ...). */
        EPOCH
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final Batching batching;
    private final LearningRateSchedule schedule;
    private final List<Metric> metrics;
    private final int evaluateEvery;
    private final int printEvery;
    private final CostUnit printUnit;
    private final Progress progress;
    private final boolean stopOnNonFinite;
    /** α₀: the optimizer's rate when this trainer was built; every fit schedules from it. */
    private final double initialRate;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.initialRate = b.optimizer.learningRate();
        this.epochs = b.epochs;
        this.batching = b.batching;
        this.schedule = b.schedule;
        this.metrics = List.copyOf(b.metrics);
        this.evaluateEvery = b.evaluateEvery;
        this.printEvery = b.printEvery;
        this.printUnit = b.printUnit;
        this.progress = b.progress != null ? b.progress : Progress.auto(b.out);
        this.stopOnNonFinite = b.stopOnNonFinite;
    }

    /** A builder for training {@code model} on {@code loss} with {@code optimizer}. */
    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /** Trains on {@code train}; see the class description. */
    public History fit(Dataset train) {
        return fit(train, null);
    }

    /**
     * Trains on {@code train}, also evaluating the cost and metrics on {@code validation} (keys
     * {@code "val_cost"}, {@code "val_<metric>"}) when it is not {@code null}.
     *
     * @throws IllegalArgumentException  if the data set is null or a batching returns no batches
     * @throws TrainingDivergedException if a cost or gradient is not finite and stopping is on
     */
    public History fit(Dataset train, Dataset validation) {
        Checks.notNull(train, "fit", "train");
        Map<String, Tensor> parameters = model.parameters();
        Checks.argument(!parameters.isEmpty(), "fit: the model %s has no parameters to train",
                model.getClass().getSimpleName());
        Run run = new Run(parameters);
        optimizer.setLearningRate(initialRate);
        List<Dataset> first = batches(train, 0);
        progress.start(epochs, (long) first.size() * epochs);
        model.train();
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                List<Dataset> batches = epoch == 0 ? first : batches(train, epoch);
                double epochRate = optimizer.learningRate();
                double weighted = 0;
                for (int k = 0; k < batches.size(); k++) {
                    weighted += step(run, batches.get(k), epoch, k, batches.size()) * batches.get(k).size();
                }
                endOfEpoch(run, epoch, weighted / train.size(), epochRate, train, validation);
            }
        } finally {
            progress.close();
        }
        return run.history.build(null);
    }

    /** What one call of {@link #fit} carries from step to step. */
    private static final class Run {
        final Map<String, Tensor> parameters;
        final History.Recorder history = new History.Recorder();
        long iteration;
        boolean warned;

        Run(Map<String, Tensor> parameters) {
            this.parameters = parameters;
        }
    }

    /** One optimization step on {@code batch}; returns its cost. */
    private double step(Run run, Dataset batch, int epoch, int k, int batches) {
        double j;
        try (Step step = Step.open()) { // the next batch writes its activations into this one's storage
            optimizer.zeroGrad();
            model.zeroGrad();
            Tensor cost = loss.cost(model.forward(batch.x()), batch.y());
            Checks.argument(cost.shape().isScalar(), "fit: the loss returned a tensor of shape %s; a cost must"
                    + " be (1, 1); hint: take the mean over the examples", cost.shape());
            j = cost.item();
            Autograd.backward(cost, false);   // only the parameters need gradients here
            checkFinite(run, j, epoch, k, batches);
            optimizer.step();
        }
        run.history.iterationCosts.add(j);
        if (printUnit == CostUnit.ITERATION && run.iteration % printEvery == 0) {
            progress.message(String.format(Locale.ROOT, "Cost after iteration %d: %f", run.iteration, j));
        }
        run.iteration++;
        progress.update(epoch, run.iteration, j);
        return j;
    }

    /** Stops (or warns once) when the cost or a gradient is not finite. */
    private void checkFinite(Run run, double cost, int epoch, int k, int batches) {
        NonFinite bad = NonFinite.first(run.parameters);
        if (Double.isFinite(cost) && bad == null) {
            return;
        }
        String problem = describe(cost, bad);
        String where = String.format(Locale.ROOT, "epoch %d, iteration %d (batch %d of %d)", epoch, run.iteration,
                k + 1, batches);
        if (stopOnNonFinite) {
            String message = "fit: training stopped at " + where + ": " + problem
                    + "; the parameters keep their values from before this step; hint: lower the"
                    + " learning rate (now " + Format.number(optimizer.learningRate()) + "), check the"
                    + " inputs for NaN, or compute the cost from logits";
            progress.message(message);
            throw new TrainingDivergedException(message, epoch, run.iteration, bad == null ? null : bad.parameter(),
                    run.history.build(message));
        }
        if (!run.warned) {
            progress.message("fit: warning at " + where + ": " + problem + "; continuing because"
                    + " stopOnNonFinite is off");
            run.warned = true;
        }
    }

    /** Records the epoch's cost, evaluates, prints, and sets the next epoch's learning rate. */
    private void endOfEpoch(Run run, int epoch, double epochCost, double epochRate, Dataset train, Dataset validation) {
        run.history.epochCosts.add(epochCost);
        run.history.learningRates.add(epochRate);
        if ((!metrics.isEmpty() || validation != null) && (epoch % evaluateEvery == 0 || epoch == epochs - 1)) {
            evaluate(run.history, epoch, train, validation);
        }
        if (printUnit == CostUnit.EPOCH && epoch % printEvery == 0) {
            progress.message(String.format(Locale.ROOT, "Cost after epoch %d: %f", epoch, epochCost));
        }
        double rate = schedule.rate(initialRate, epoch);
        Checks.state(rate > 0 && Double.isFinite(rate), "fit: the learning-rate schedule gave %s for epoch %d;"
                + " a learning rate must be positive and finite", rate, epoch);
        optimizer.setLearningRate(rate);
    }

    private List<Dataset> batches(Dataset train, int epoch) {
        List<Dataset> batches = batching.batches(train, epoch);
        Checks.state(batches != null && !batches.isEmpty(), "fit: the batching returned no batches for epoch %d",
                epoch);
        return batches;
    }

    private void evaluate(History.Recorder rec, int epoch, Dataset train, Dataset validation) {
        rec.metricEpochs.add(epoch);
        Tensor out = Predictions.output(model, train.x());
        for (Metric m : metrics) {
            rec.metric(m.name(), m.compute(out, train.y()));
        }
        if (validation != null) {
            Tensor vOut = Predictions.output(model, validation.x());
            try (var scope = Grad.disabled()) {
                rec.metric("val_cost", loss.cost(vOut, validation.y()).item());
            }
            for (Metric m : metrics) {
                rec.metric("val_" + m.name(), m.compute(vOut, validation.y()));
            }
        }
    }

    /** Describes what is not finite: the cost, or the first parameter gradient that is not ({@code bad}, may be null). */
    private static String describe(double cost, NonFinite bad) {
        String costText = Double.isFinite(cost) ? "the cost is finite (" + Format.number(cost) + ") but "
                : "the cost is " + cost + "; ";
        return bad != null ? costText + "the first parameter with a non-finite gradient is " + bad
                : costText + "all gradients are finite (the cost itself overflowed, e.g. log(0) of a saturated"
                + " sigmoid)";
    }

    /** The first non-finite gradient entry, found in one scan of the gradients. */
    private record NonFinite(String parameter, Tensor value, int index, double entry) {
        static NonFinite first(Map<String, Tensor> parameters) {
            for (var e : parameters.entrySet()) {
                Tensor p = e.getValue();
                if (!p.hasGrad()) {
                    continue;
                }
                int i = p.firstNonFiniteGradient(); // grad() is read only on failure: its storage stays reusable
                if (i >= 0) {
                    return new NonFinite(e.getKey(), p, i, p.grad().get(i / p.cols(), i % p.cols()));
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "\"%s\" %s (gradient %s at (%d, %d))", parameter, value.shape(), entry,
                    index / value.cols(), index % value.cols());
        }
    }

    /** Configures a {@link Trainer}. Defaults: 1 epoch, full batch, constant rate, no metrics, automatic progress on {@code System.out}. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer optimizer;
        private int epochs = 1;
        private Batching batching = Batching.fullBatch();
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private final List<Metric> metrics = new ArrayList<>();
        private int evaluateEvery = 1;
        private int printEvery = 0;
        private CostUnit printUnit;
        private PrintStream out = System.out;
        private Progress progress;
        private boolean stopOnNonFinite = true;

        private Builder(Module model, Loss loss, Optimizer optimizer) {
            this.model = Checks.notNull(model, "Trainer", "model");
            this.loss = Checks.notNull(loss, "Trainer", "loss");
            this.optimizer = Checks.notNull(optimizer, "Trainer", "optimizer");
        }

        /** The number of passes over the training set ({@code ≥ 1}). */
        public Builder epochs(int epochs) {
            Checks.argument(epochs >= 1, "Trainer: epochs must be at least 1, got %d", epochs);
            this.epochs = epochs;
            return this;
        }

        /** How each epoch is cut into mini-batches (default {@link Batching#fullBatch()}). */
        public Builder batching(Batching batching) {
            this.batching = Checks.notNull(batching, "Trainer", "batching");
            return this;
        }

        /** Shorthand for {@code batching(Batching.shuffled(batchSize, seed))}. */
        public Builder batchSize(int batchSize, long seed) {
            return batching(Batching.shuffled(batchSize, seed));
        }

        /** The learning-rate schedule applied after each epoch (default constant). */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = Checks.notNull(schedule, "Trainer", "schedule");
            return this;
        }

        /** Metrics evaluated on the whole training (and validation) set after epochs. */
        public Builder metrics(Metric... metrics) {
            Checks.notNull(metrics, "Trainer", "metrics");
            for (Metric m : metrics) {
                Checks.notNull(m, "Trainer", "metric");
                Checks.argument(this.metrics.stream().noneMatch(x -> x.name().equals(m.name())),
                        "Trainer: metric \"%s\" is given twice", m.name());
                this.metrics.add(m);
            }
            return this;
        }

        /** Evaluates metrics after every {@code epochs}-th epoch (0, k, 2k, ...) and after the last (default 1). */
        public Builder evaluateEvery(int epochs) {
            Checks.argument(epochs >= 1, "Trainer: evaluateEvery must be at least 1, got %d", epochs);
            this.evaluateEvery = epochs;
            return this;
        }

        /**
         * Prints the course's "Cost after iteration i: J" (or "Cost after epoch e: J") every
         * {@code every} iterations (or epochs), starting at 0, with six decimals like
         * {@code print("Cost after iteration %i: %f" % (i, cost))}.
         */
        public Builder printCostEvery(int every, CostUnit unit) {
            Checks.argument(every >= 1, "Trainer: printCostEvery must be at least 1, got %d", every);
            this.printEvery = every;
            this.printUnit = Checks.notNull(unit, "Trainer", "unit");
            return this;
        }

        /** Where progress and messages go when no {@link #progress} is given (default {@code System.out}). */
        public Builder output(PrintStream out) {
            this.out = Checks.notNull(out, "Trainer", "out");
            return this;
        }

        /** The progress reporter (default {@link Progress#auto} on {@link #output}). */
        public Builder progress(Progress progress) {
            this.progress = Checks.notNull(progress, "Trainer", "progress");
            return this;
        }

        /**
         * Whether a NaN or infinite cost or gradient stops training with a
         * {@link TrainingDivergedException} (default true). When off, a warning is printed once
         * and training goes on, as the course's notebooks do when a cost starts at {@code inf}.
         */
        public Builder stopOnNonFinite(boolean stop) {
            this.stopOnNonFinite = stop;
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
