package io.github.chainrule.viz;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/** Graphs the tests draw, built by hand (viz does not depend on nn). */
final class Graphs {
    private Graphs() {
    }

    /** The course's J = 3(a + bc) with a = 5, b = 3, c = 2, after backward. */
    static Tensor courseJ() {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(2).named("c").requiringGrad();
        Tensor u = b.mul(c).named("u");
        Tensor v = a.add(u).named("v");
        Tensor J = v.mul(3).named("J");
        J.backward();
        return J;
    }

    /**
     * A deep network in course notation, built by hand: sizes n[0..L], m examples, ReLU hidden
     * layers and a sigmoid output, cost = mean binary cross-entropy; after backward.
     */
    static Tensor deepNetwork(int m, int... sizes) {
        return deepNetwork(true, m, sizes);
    }

    /** Like {@link #deepNetwork(int, int...)}; without {@code crossEntropy} the cost is simply the mean of A[L]. */
    static Tensor deepNetwork(boolean crossEntropy, int m, int... sizes) {
        NumpyRandom rng = new NumpyRandom(1);
        Tensor X = Tensor.randn(sizes[0], m, rng).named("X");
        Tensor Y = Tensor.zeros(1, m).named("Y");
        Tensor A = X;
        int L = sizes.length - 1;
        for (int l = 1; l <= L; l++) {
            Tensor W = Tensor.randn(sizes[l], sizes[l - 1], rng).mul(0.1).detach().named("W[" + l + "]").requiringGrad();
            Tensor b = Tensor.zeros(sizes[l], 1).named("b[" + l + "]").requiringGrad();
            Tensor Z = W.matmul(A).add(b).named("Z[" + l + "]");
            A = (l < L ? Z.relu() : Z.sigmoid()).named("A[" + l + "]");
        }
        Tensor AL = A;
        Tensor cost = crossEntropy
                ? Y.mul(AL.log()).add(Y.neg().add(1).mul(AL.neg().add(1).log())).mean().neg().named("cost")
                : AL.mean().named("cost");
        cost.backward();
        return cost;
    }

    /** The course's 2-layer network on 4 examples: tanh hidden layer, fused sigmoid cross-entropy (a long op name). */
    static Tensor twoLayer() {
        NumpyRandom rng = new NumpyRandom(1);
        Tensor X = Tensor.randn(2, 4, rng).named("X");
        Tensor Y = Tensor.row(1, 0, 1, 0).named("Y");
        Tensor W1 = Tensor.randn(3, 2, rng).mul(0.5).detach().named("W[1]").requiringGrad();
        Tensor b1 = Tensor.zeros(3, 1).named("b[1]").requiringGrad();
        Tensor W2 = Tensor.randn(1, 3, rng).mul(0.5).detach().named("W[2]").requiringGrad();
        Tensor b2 = Tensor.zeros(1, 1).named("b[2]").requiringGrad();
        Tensor A1 = W1.matmul(X).add(b1).named("Z[1]").tanh().named("A[1]");
        Tensor Z2 = W2.matmul(A1).add(b2).named("Z[2]");
        Tensor cost = Z2.sigmoidCrossEntropyWithLogits(Y).mean().named("cost");
        cost.backward();
        return cost;
    }
}
