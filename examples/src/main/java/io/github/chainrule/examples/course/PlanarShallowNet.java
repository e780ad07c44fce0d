package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Step;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's one-hidden-layer network on the flower data, written directly with tensors:
 * 2 → 4 tanh → 1 sigmoid, {@code np.random.seed(2)} initialization ({@code W = randn·0.01},
 * {@code b = 0}), the cross-entropy cost computed from probabilities as in the notebook,
 * full-batch gradient descent at learning rate 1.2. Backpropagation is chainrule's; the
 * notebook's hand-written {@code dZ2 = A2 − Y, dW2 = 1/m dZ2·A1ᵀ, ...} come out of the graph.
 */
public final class PlanarShallowNet {
    final Tensor w1, b1, w2, b2;

    /** Initializes as the notebook's {@code initialize_parameters(n_x, n_h, n_y)}. */
    public PlanarShallowNet(int hidden) {
        NumpyRandom rng = new NumpyRandom(2);
        w1 = Tensor.randn(hidden, 2, rng).mul(0.01).detach().named("W[1]").requiringGrad();
        b1 = Tensor.zeros(hidden, 1).named("b[1]").requiringGrad();
        w2 = Tensor.randn(1, hidden, rng).mul(0.01).detach().named("W[2]").requiringGrad();
        b2 = Tensor.zeros(1, 1).named("b[2]").requiringGrad();
    }

    /** {@code A2 = σ(W2·tanh(W1·X + b1) + b2)}, (1, m). */
    public Tensor forward(Tensor x) {
        Tensor a1 = w1.matmul(x).add(b1).named("Z[1]").tanh().named("A[1]");
        return w2.matmul(a1).add(b2).named("Z[2]").sigmoid().named("A[2]");
    }

    /** The notebook's cost: {@code −1/m Σ (Y·log A2 + (1 − Y)·log(1 − A2))}. */
    public static Tensor cost(Tensor a2, Tensor y) {
        return cost(a2, y, y.neg().add(1));
    }

    /** {@link #cost(Tensor, Tensor)} with {@code 1 − Y} computed once by the caller. */
    private static Tensor cost(Tensor a2, Tensor y, Tensor oneMinusY) {
        Tensor logprobs = a2.log().mul(y).add(a2.neg().add(1).log().mul(oneMinusY));
        return logprobs.sum().mul(-1.0 / y.cols()).named("J");
    }

    /** Runs full-batch gradient descent; returns the cost at every iteration. */
    public List<Double> train(Tensor x, Tensor y, int iterations, double learningRate) {
        List<Double> costs = new ArrayList<>();
        List<Tensor> parameters = List.of(w1, b1, w2, b2);
        Tensor oneMinusY = y.neg().add(1);
        for (int i = 0; i < iterations; i++) {
            try (Step step = Step.open()) { // the next iteration writes its values into this one's storage
                Tensor j = cost(forward(x), y, oneMinusY);
                costs.add(j.item());
                for (Tensor p : parameters) {
                    p.zeroGrad();
                }
                Autograd.backward(j, false); // only the parameters' gradients are read here
                try (Grad.Scope s = Grad.disabled()) {
                    for (Tensor p : parameters) {
                        p.addInPlace(p.grad(), -learningRate);
                    }
                }
            }
        }
        return costs;
    }

    /** Fraction of columns where {@code A2 > 0.5} agrees with the label. */
    public double accuracy(Tensor x, Tensor y) {
        try (Grad.Scope s = Grad.disabled()) {
            Tensor a2 = forward(x);
            int right = 0;
            for (int j = 0; j < y.cols(); j++) {
                right += (a2.get(0, j) > 0.5 ? 1 : 0) == (int) y.get(0, j) ? 1 : 0;
            }
            return (double) right / y.cols();
        }
    }

    public static void main(String[] args) {
        Dataset data = Datasets.flower();
        PlanarShallowNet net = new PlanarShallowNet(4);
        List<Double> costs = net.train(data.x(), data.y(), 10_000, 1.2);
        for (int i = 0; i < costs.size(); i += 1000) {
            System.out.printf("Cost after iteration %d: %f%n", i, costs.get(i));
        }
        System.out.printf("Accuracy: %.2f %%%n", 100 * net.accuracy(data.x(), data.y()));
    }
}
