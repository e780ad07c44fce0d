package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Modules applied one after the other: {@code A[L] = f_L(... f_2(f_1(X)))}. Layers get their
 * display name and course number as they are added (see {@link Layer}); parameters are named
 * {@code <layer name>.<parameter>}, e.g. {@code hidden1.W}.
 *
 * <p>The course's deep network from its {@code layers_dims}:
 *
 * <pre>{@code
 * Sequential model = Sequential.builder(12288, 20, 7, 5, 1)   // ReLU hidden layers, sigmoid output
 *         .initializer(Initializer.DEEP).seed(1).build();     // W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1])
 * Tensor al = model.forward(x);                                 // (1, m)
 * }</pre>
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();
    private int layerCount;
    /** Run at the start of every forward pass (the builder's {@link Dropout.Seeding#EVERY_FORWARD}), or null. */
    private Runnable beforeForward;

    /** An empty network; add layers with {@link #add}. */
    public Sequential() {
    }

    /** A network of {@code modules}, named {@code layer1, layer2, ...}. */
    public static Sequential of(Module... modules) {
        Checks.notNull(modules, "Sequential.of", "modules");
        Sequential s = new Sequential();
        for (int i = 0; i < modules.length; i++) {
            s.add("layer" + (i + 1), modules[i]);
        }
        return s;
    }

    /**
     * Appends {@code module} under {@code name} (unique, no dots); a {@link Layer} is bound to that
     * name and to its course number. Returns this.
     */
    public Sequential add(String name, Module module) {
        Checks.notNull(module, "Sequential.add", "module");
        registerModule(name, module);
        if (module instanceof Layer) {
            Layer layer = (Layer) module;
            if (layer.countsAsLayer()) {
                layerCount++;
            }
            layer.bind(name, Math.max(1, layerCount));
        }
        layers.add(module);
        return this;
    }

    /** The modules in order. */
    public List<Module> layers() {
        return List.copyOf(layers);
    }

    /** Applies every module in order. */
    @Override
    public Tensor forward(Tensor x) {
        Checks.notNull(x, "Sequential", "input");
        Checks.state(!layers.isEmpty(), "Sequential: no layers; hint: add(name, module) first");
        if (beforeForward != null) {
            beforeForward.run();
        }
        Tensor a = x;
        for (Module m : layers) {
            a = m.forward(a);
        }
        return a;
    }

    /** One line per layer. */
    @Override
    public String toString() {
        return "Sequential\n" + layers.stream().map(m -> "  " + m).collect(Collectors.joining("\n"));
    }

    /**
     * Starts a network from the course's {@code layers_dims}: {@code n[0]} inputs, then the sizes
     * of each layer; at least two entries.
     */
    public static Builder builder(int... layerDims) {
        return new Builder(layerDims);
    }

    /**
     * Builds {@code L = layerDims.length − 1} {@link Dense} layers named {@code hidden1 ...
     * hidden(L−1)} and {@code output}. Defaults: ReLU hidden layers, sigmoid output,
     * {@link Initializer#DEEP}, seed 1. Weights are drawn from one {@code NumpyRandom(seed)} in
     * layer order, {@code W[1]} first, as the notebooks' {@code initialize_parameters_deep} does, so
     * they equal numpy's bit for bit. Optional: dropout after each hidden layer, drawing its masks
     * from a second generator (seeded once, or before every forward pass as the course's
     * regularization notebook does), and batch normalization of each hidden {@code Z[l]}.
     */
    public static final class Builder {
        private final int[] dims;
        private Activation hidden = Activation.RELU;
        private Activation output = Activation.SIGMOID;
        private Initializer initializer = Initializer.DEEP;
        private NumpyRandom rng;
        private long seed = 1;
        private double keepProb = 1.0;
        private long dropoutSeed = 1;
        private Dropout.Seeding dropoutSeeding = Dropout.Seeding.ONCE;
        private boolean batchNorm;

        private Builder(int[] layerDims) {
            Checks.notNull(layerDims, "Sequential.builder", "layerDims");
            Checks.argument(layerDims.length >= 2,
                    "Sequential.builder: layers_dims needs at least the input size and one layer, got %s",
                    Arrays.toString(layerDims));
            for (int i = 0; i < layerDims.length; i++) {
                Checks.argument(layerDims[i] > 0, "Sequential.builder: layers_dims %s has size %d at position %d;"
                        + " every size must be positive", Arrays.toString(layerDims), layerDims[i], i);
            }
            this.dims = layerDims.clone();
        }

        /** The activation of the hidden layers (default ReLU). */
        public Builder hidden(Activation activation) {
            this.hidden = Checks.notNull(activation, "Sequential.builder", "hidden activation");
            return this;
        }

        /** The activation of the output layer (default sigmoid). */
        public Builder output(Activation activation) {
            this.output = Checks.notNull(activation, "Sequential.builder", "output activation");
            return this;
        }

        /** How weights start (default {@link Initializer#DEEP}). */
        public Builder initializer(Initializer initializer) {
            this.initializer = Checks.notNull(initializer, "Sequential.builder", "initializer");
            return this;
        }

        /** Seeds a new generator for the weights, like {@code np.random.seed(seed)} (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            this.rng = null;
            return this;
        }

        /** Draws the weights from {@code rng} (continuing its sequence) instead of a fresh seeded one. */
        public Builder random(NumpyRandom rng) {
            this.rng = Checks.notNull(rng, "Sequential.builder", "rng");
            return this;
        }

        /**
         * Inverted dropout after every hidden layer, masks drawn from one {@code NumpyRandom(maskSeed)}
         * seeded once ({@link Dropout.Seeding#ONCE}): each forward pass draws new masks.
         */
        public Builder dropout(double keepProb, long maskSeed) {
            return dropout(keepProb, maskSeed, Dropout.Seeding.ONCE);
        }

        /**
         * Inverted dropout after every hidden layer, {@code A[l] = A[l] ⊙ D[l] / keepProb} with
         * {@code D[l] = rand(n[l], m) < keepProb} drawn from one {@code NumpyRandom(maskSeed)} shared by
         * the layers, in forward order. With {@link Dropout.Seeding#EVERY_FORWARD} the generator is
         * reseeded with {@code maskSeed} at the start of every forward pass of the network, as the
         * course's regularization notebook does ({@code np.random.seed(1)} in
         * {@code forward_propagation_with_dropout}; use {@code maskSeed = 1}): every iteration then
         * draws the notebook's masks and reproduces its costs. With {@link Dropout.Seeding#ONCE} (the
         * default) masks differ from one forward pass to the next.
         */
        public Builder dropout(double keepProb, long maskSeed, Dropout.Seeding seeding) {
            Dropout.checkKeepProb("Sequential.builder", keepProb);
            this.keepProb = keepProb;
            this.dropoutSeed = maskSeed;
            this.dropoutSeeding = Checks.notNull(seeding, "Sequential.builder", "dropout seeding");
            return this;
        }

        /** Batch normalization of each hidden {@code Z[l]} before its activation. */
        public Builder batchNorm(boolean on) {
            this.batchNorm = on;
            return this;
        }

        /** The network. */
        public Sequential build() {
            NumpyRandom weights = rng != null ? rng : new NumpyRandom(seed);
            NumpyRandom masks = keepProb < 1 ? new NumpyRandom(dropoutSeed) : null;
            Sequential s = new Sequential();
            int layersL = dims.length - 1;
            for (int l = 1; l <= layersL; l++) {
                boolean last = l == layersL;
                String name = last ? "output" : "hidden" + l;
                if (!last && batchNorm) {
                    s.add(name, new Dense(dims[l - 1], dims[l], Activation.IDENTITY, initializer, weights));
                    s.add("batchnorm" + l, new BatchNorm(dims[l]));
                    s.add("activation" + l, new ActivationLayer(hidden));
                } else {
                    s.add(name, new Dense(dims[l - 1], dims[l], last ? output : hidden, initializer, weights));
                }
                if (!last && masks != null) {
                    s.add("dropout" + l, new Dropout(keepProb, masks));
                }
            }
            if (masks != null && dropoutSeeding == Dropout.Seeding.EVERY_FORWARD) {
                long maskSeed = dropoutSeed;
                s.beforeForward = () -> masks.seed(maskSeed);
            }
            return s;
        }
    }
}
