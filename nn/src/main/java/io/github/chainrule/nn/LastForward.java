package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Tensor;

/**
 * The values of a layer's latest forward pass ({@code Z[l]}, {@code A[l]}), for diagnostics and
 * inspection: copies without the graph, so that a layer does not keep the whole forward graph
 * (every intermediate of a batch, and the tensors the backward rules saved) alive between steps.
 */
final class LastForward {
    private Tensor z;
    private Tensor a;

    /** Keeps copies of {@code z} (may be null) and {@code a}; when they are one tensor, one copy. */
    void remember(Tensor z, Tensor a) {
        this.z = z == null ? null : z.detach();
        this.a = a == z ? this.z : a.detach();
    }

    /** The pre-activation of the latest forward, or {@code null}. */
    Tensor z() {
        return z;
    }

    /** The output of the latest forward, or {@code null}. */
    Tensor a() {
        return a;
    }
}
