package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * An activation as a layer of its own, for networks that put something between {@code Z[l]}
 * and {@code A[l]}: {@code Dense(identity) → BatchNorm → ActivationLayer(relu)}. It has no
 * parameters; its output is named {@code A[l]}.
 */
public final class ActivationLayer extends Layer {
    private final Activation activation;
    private final LastForward last = new LastForward();

    /** A layer applying {@code activation}. */
    public ActivationLayer(Activation activation) {
        super("activation");
        this.activation = Checks.notNull(activation, "ActivationLayer", "activation");
    }

    @Override
    public Tensor forward(Tensor z) {
        Checks.notNull(z, who(), "input");
        Tensor a = activate(activation, z);
        last.remember(z, a);
        return a;
    }

    /** The activation applied. */
    public Activation activation() {
        return activation;
    }

    /** The input of the latest forward (a copy of its values, without the graph), or {@code null}. */
    public Tensor lastPreActivation() {
        return last.z();
    }

    /** The output of the latest forward (a copy of its values, without the graph), or {@code null}. */
    public Tensor lastOutput() {
        return last.a();
    }

    @Override
    public String toString() {
        return layerName() + ": " + activation.name();
    }

    @Override
    Diagnostics.LayerReport diagnose() {
        return Diagnostics.layer(layerName(), activation, last.a() == null ? 0 : last.a().rows(), last.a(), null);
    }
}
