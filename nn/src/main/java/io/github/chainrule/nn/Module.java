package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Anomaly;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A piece of a network: maps activations {@code A[l-1]} of shape {@code (n[l-1], m)} (one
 * example per column) to {@code A[l]}, and owns named parameters and child modules.
 *
 * <p>Parameter names are hierarchical, joined with dots: a {@code Sequential} holding a
 * {@code Dense} registered as {@code "hidden1"} exposes {@code "hidden1.W"} and
 * {@code "hidden1.b"}. Modules are in training mode when created; {@link #eval()} switches
 * dropout off and batch normalization to its running statistics.
 *
 * <p>Custom models extend this class, register parameters (leaves that require gradients) and
 * children in their constructor, and implement {@link #forward} with tensor operations.
 *
 * <p>A module is not thread-safe: run one forward pass at a time on it. Its layers keep the
 * values of their latest forward pass, dropout its masks and batch normalization its running
 * statistics, so concurrent forward passes on one model would mix them (the outputs themselves
 * would still be right). Models that must run on several threads at once need one copy each.
 */
public abstract class Module {
    static {
        Anomaly.markLibraryCode(Module.class);
    }

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** The parameters registered with {@link #registerWeight} (by identity). */
    private final Set<Tensor> weights = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** This module's own health report for {@link Diagnostics}, or {@code null} if it has none (containers, custom modules). */
    Diagnostics.LayerReport diagnose() {
        return null;
    }

    /**
     * Registers a parameter under {@code name} (unique among this module's parameters and
     * children, no dots); marks it as requiring gradients and returns it.
     */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        Checks.notNull(value, "registerParameter", "value");
        if (!value.requiresGrad()) {
            value.requiringGrad();
        }
        parameters.put(name, value);
        return value;
    }

    /**
     * Registers a weight: a parameter that L2 regularization decays ({@link Costs#weights}), as
     * {@link Dense} and {@link Maxout} register {@code W}; biases and scales are plain parameters.
     */
    protected final Tensor registerWeight(String name, Tensor value) {
        registerParameter(name, value);
        weights.add(value);
        return value;
    }

    /** The weights ({@link #registerWeight}) of this module and its children, in {@link #parameters()} order. */
    final List<Tensor> weights() {
        Set<Tensor> marked = Collections.newSetFromMap(new IdentityHashMap<>());
        collectWeights(marked);
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : parameters().values()) {
            if (marked.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private void collectWeights(Set<Tensor> into) {
        into.addAll(weights);
        children.values().forEach(c -> c.collectWeights(into));
    }

    /** Registers a child module under {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        Checks.notNull(child, "registerModule", "child");
        children.put(name, child);
        return child;
    }

    /**
     * Registers a buffer under {@code name}: state that is saved with the model but not trained
     * (batch normalization's running statistics); it does not require gradients. Returns it.
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        Checks.notNull(value, "registerBuffer", "value");
        buffers.put(name, value);
        return value;
    }

    /** All buffers of this module and its children, in registration order, by hierarchical name. */
    public final Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>(buffers);
        children.forEach((prefix, child) -> child.buffers().forEach((n, t) -> all.put(prefix + "." + n, t)));
        return Collections.unmodifiableMap(all);
    }

    /**
     * Everything a model file holds: the parameters, then the buffers, by hierarchical name
     * (PyTorch's {@code state_dict}).
     */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters());
        all.putAll(buffers());
        return Collections.unmodifiableMap(all);
    }

    private void checkName(String name) {
        Checks.notNull(name, "register", "name");
        Checks.argument(!name.isEmpty() && !name.contains("."), "register: name \"%s\" must be non-empty and"
                + " contain no dot", name);
        Checks.argument(!parameters.containsKey(name) && !children.containsKey(name) && !buffers.containsKey(name),
                "register: name \"%s\" is already used in %s", name, getClass().getSimpleName());
    }

    /** All parameters of this module and its children, in registration order, by hierarchical name. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters);
        children.forEach((prefix, child) -> child.parameters().forEach((n, t) -> all.put(prefix + "." + n, t)));
        return Collections.unmodifiableMap(all);
    }

    /** The direct children, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Switches this module and its children to training mode; returns this. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Switches this module and its children to evaluation mode; returns this. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
    }

    /** Whether the module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        parameters().values().forEach(Tensor::zeroGrad);
    }
}
