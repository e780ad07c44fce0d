package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.GradCheck;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Step;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;

/**
 * The README's short API tour, runnable: logistic regression by hand, second derivatives, training
 * steps that reuse their storage, a gradient check.
 */
public final class ApiTour {
    private ApiTour() {
    }

    public static void main(String[] args) {
        // vectorized logistic regression: one example per column, b broadcasts over the m columns
        NumpyRandom rng = new NumpyRandom(1);                 // bit-for-bit np.random.seed(1)
        Tensor X = Tensor.randn(2, 400, rng);                 // (n_x, m) = (2, 400)
        double[] labels = new double[400];
        for (int j = 0; j < 400; j++) {
            labels[j] = X.get(0, j) - 2 * X.get(1, j) > 0 ? 1 : 0;
        }
        Tensor Y = Tensor.row(labels);                        // (1, m)
        Tensor w = Tensor.zeros(1, 2).named("w").requiringGrad();
        Tensor b = Tensor.zeros(1, 1).named("b").requiringGrad();
        for (int i = 0; i <= 300; i++) {
            Tensor cost = w.matmul(X).add(b).sigmoidCrossEntropyWithLogits(Y).mean();
            cost.backward();                                  // w.grad() = 1/m dZ·Xᵀ, b.grad() = 1/m Σ dZ
            if (i % 100 == 0) {
                System.out.println("iteration " + i + ": cost " + cost.item());
            }
            try (Grad.Scope noGrad = Grad.disabled()) {
                w.addInPlace(w.grad(), -1.0);
                b.addInPlace(b.grad(), -1.0);
            }
            w.zeroGrad();
            b.zeroGrad();
        }
        System.out.println(w);

        // second derivatives: build the gradient as a graph, then differentiate it again
        Tensor t = Tensor.scalar(2).requiringGrad();
        Tensor dy = Autograd.grad(t.pow(3), List.of(t), true).get(0);     // 3t² = 12
        Tensor d2y = Autograd.grad(dy, List.of(t), false).get(0);         // 6t  = 12
        System.out.println("d(t³)/dt = " + dy.item() + ", d²(t³)/dt² = " + d2y.item());

        // training steps that reuse their storage: a Step releases the graph it recorded when it
        // closes, and the next step writes its values there instead of into new arrays
        Tensor z = null;
        for (int i = 0; i < 10; i++) {
            try (Step step = Step.open()) {
                z = w.matmul(X).add(b);
                Autograd.backward(z.sigmoidCrossEntropyWithLogits(Y).mean(), false); // gradients of leaves only
                w.addGradInPlace(-1.0);                       // w −= 1.0·dw, dw's storage kept for the next step
                b.addGradInPlace(-1.0);
                w.zeroGrad();
                b.zeroGrad();
            }
        }
        try {
            z.sum();                                          // z belonged to the last step
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
        }

        // check any function's gradients against central differences
        Tensor W = Tensor.randn(3, 2, rng).named("W"), A = Tensor.randn(2, 4, rng).named("A");
        System.out.print(GradCheck.of(xs -> xs.get(0).matmul(xs.get(1)).tanh().sum(), W, A));
    }
}
