package io.github.chainrule.autodiff;

import java.util.function.Consumer;

/**
 * The benchmark's training step, for tests: a ReLU MLP (He initialization, zero biases broadcast
 * over the batch) with softmax cross-entropy on one-hot labels, trained by plain SGD as nn's
 * Trainer does it ({@code addGradInPlace}, so cleared gradients' storage is reused) or through
 * {@code grad()}.
 */
final class ReluMlp {
    final int[] sizes;
    final int batch;
    final Tensor x, y;
    final Tensor[] w, b;

    ReluMlp(int[] sizes, int batch, long seed) {
        this.sizes = sizes.clone();
        this.batch = batch;
        int layers = sizes.length - 1;
        NumpyRandom rng = new NumpyRandom(seed);
        x = Tensor.randn(sizes[0], batch, rng);
        double[] oneHot = new double[sizes[layers] * batch];
        for (int j = 0; j < batch; j++) {
            oneHot[(j % sizes[layers]) * batch + j] = 1;
        }
        y = Tensor.fromRowMajor(sizes[layers], batch, oneHot);
        w = new Tensor[layers];
        b = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = Tensor.randn(sizes[l + 1], sizes[l], rng).mul(Math.sqrt(2.0 / sizes[l])).detach()
                    .named("W[" + (l + 1) + "]").requiringGrad();
            b[l] = Tensor.zeros(sizes[l + 1], 1).named("b[" + (l + 1) + "]").requiringGrad();
        }
    }

    /** One step: the forward pass (each pre-activation Z handed to {@code onZ}), the backward, the update; returns the cost. */
    Tensor step(boolean keepIntermediate, boolean handOut, double lr, Consumer<Tensor> onZ) {
        Tensor a = x;
        for (int l = 0; l < w.length; l++) {
            Tensor z = w[l].matmul(a).add(b[l]);
            onZ.accept(z);
            a = l < w.length - 1 ? z.relu() : z;
        }
        Tensor cost = a.softmaxCrossEntropyWithLogits(y).mean();
        Autograd.backward(cost, keepIntermediate);
        try (Grad.Scope off = Grad.disabled()) {
            for (int l = 0; l < w.length; l++) {
                if (handOut) {
                    w[l].addInPlace(w[l].grad(), -lr);
                    b[l].addInPlace(b[l].grad(), -lr);
                } else {
                    w[l].addGradInPlace(-lr);
                    b[l].addGradInPlace(-lr);
                }
                w[l].zeroGrad();
                b[l].zeroGrad();
            }
        }
        return cost;
    }

    /** Bytes a step must hold: each layer's Z and A (the last layer's Z only) and one gradient per parameter. */
    long mustHold() {
        long doubles = 0;
        for (int l = 0; l < w.length; l++) {
            doubles += (long) sizes[l + 1] * batch * (l < w.length - 1 ? 2 : 1) + (long) sizes[l + 1] * sizes[l]
                    + sizes[l + 1];
        }
        return doubles * 8;
    }
}
