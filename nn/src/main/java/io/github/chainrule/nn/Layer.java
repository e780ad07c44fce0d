package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * A module that knows its place in a network: a display name (used in error messages, e.g.
 * {@code Dense "hidden1"}) and the course's 1-based layer number {@code l}, which names its
 * tensors ({@code W[l]}, {@code Z[l]}, {@code A[l]}). {@link Sequential} assigns both as layers
 * are added: layers with weights ({@link Dense}, {@link Maxout}) count up, the others
 * ({@link BatchNorm}, {@link Dropout}, {@link ActivationLayer}) take the number of the layer
 * before them. A standalone layer is number 1 until {@link #bind} says otherwise.
 */
public abstract class Layer extends Module {
    private String layerName;
    private int index = 1;

    Layer(String defaultName) {
        this.layerName = defaultName;
    }

    /** The display name, e.g. {@code "hidden1"}. */
    public final String layerName() {
        return layerName;
    }

    /** The course's layer number {@code l} (1-based). */
    public final int index() {
        return index;
    }

    /**
     * Sets the display name and the layer number and renames the parameters accordingly; returns
     * this. {@link Sequential} calls it; custom models call it for layers they hold themselves.
     */
    public Layer bind(String name, int l) {
        Checks.notNull(name, "Layer.bind", "name");
        Checks.argument(l >= 1, "Layer.bind: layer number must be >= 1, got %d", l);
        this.layerName = name;
        this.index = l;
        renameTensors();
        return this;
    }

    /** Whether this layer has weights and so takes the next layer number in a {@link Sequential}. */
    boolean countsAsLayer() {
        return false;
    }

    /** Gives the parameters their course names for the current {@link #index()}. */
    void renameTensors() {
    }

    /** {@code "W[l]"} style names. */
    final String course(String symbol) {
        return symbol + "[" + index + "]";
    }

    /** {@code Dense "hidden1"} style prefix for messages. */
    final String who() {
        return getClass().getSimpleName() + " \"" + layerName + "\"";
    }

    /** {@code g(z)}, named {@code A[l]} unless {@code g} is the identity (which returns {@code z} itself). */
    final Tensor activate(Activation g, Tensor z) {
        Tensor a = g.apply(z);
        return a == z ? a : a.named(course("A"));
    }
}
