package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;

/**
 * The values of a layer's latest forward pass ({@code Z[l]}, {@code A[l]}), for diagnostics and
 * inspection: copies without the graph, so that a layer does not keep the whole forward graph
 * (every intermediate of a batch, and the tensors the backward rules saved) alive between steps,
 * and so that they outlive the autodiff {@code Step} a training step runs in. The copies are
 * written into the same buffers every forward pass (new ones only when the batch's shape changes),
 * and each read returns a copy of its own, so a training step allocates nothing here and a value
 * read earlier never changes.
 */
final class LastForward {
    private Tensor z;
    private Tensor a;

    /** Keeps copies of {@code z} (may be null) and {@code a}; when they are one tensor, one copy. */
    void remember(Tensor z, Tensor a) {
        Tensor oldZ = this.z, oldA = this.a == oldZ ? null : this.a;
        this.z = z == null ? null : copy(oldZ, z);
        this.a = a == z ? this.z : copy(oldA, a);
    }

    /** {@code value}'s values in {@code buffer} when it has their shape, else in a new tensor. */
    private static Tensor copy(Tensor buffer, Tensor value) {
        if (buffer == null || !buffer.shape().equals(value.shape())) {
            return value.detach();
        }
        try (Grad.Scope off = Grad.disabled()) {
            buffer.assign(value);
        }
        return buffer.named(value.name()); // a layer bound again names its values anew (Z[1] becomes Z[3])
    }

    /** A copy of the pre-activation of the latest forward, or {@code null}. */
    Tensor z() {
        return z == null ? null : z.detach();
    }

    /** A copy of the output of the latest forward, or {@code null}. */
    Tensor a() {
        return a == null ? null : a.detach();
    }
}
