package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.GradCheck;
import io.github.chainrule.autodiff.GradCheckReport;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;

/**
 * The course's N-dimensional gradient check: a [4, 5, 3, 1] network (ReLU, ReLU, sigmoid) on
 * three examples, whose hand-written backward pass is checked against central differences
 * with ε = 1e-7 over all six parameters at once. The notebook plants two bugs (dW2 doubled,
 * db1 multiplied by 4) for the learner to find; {@link #backward(List, boolean)} can plant them too.
 */
public final class GradientCheckN {
    /** x (4, 3), y (1, 3), then W1, b1, W2, b2, W3, b3 as the notebook draws them. */
    final Tensor x, y;
    final List<Tensor> parameters;

    GradientCheckN() {
        NumpyRandom rng = new NumpyRandom(1);
        x = Tensor.randn(4, 3, rng);
        y = Tensor.row(1, 1, 0);
        parameters = List.of(Tensor.randn(5, 4, rng).named("W1"), Tensor.randn(5, 1, rng).named("b1"),
                Tensor.randn(3, 5, rng).named("W2"), Tensor.randn(3, 1, rng).named("b2"),
                Tensor.randn(1, 3, rng).named("W3"), Tensor.randn(1, 1, rng).named("b3"));
    }

    /** The notebook's {@code forward_propagation_n}: the cost {@code 1/m Σ −y log A3 − (1−y) log(1−A3)}. */
    Tensor cost(List<Tensor> p) {
        Tensor a1 = p.get(0).matmul(x).add(p.get(1)).relu();
        Tensor a2 = p.get(2).matmul(a1).add(p.get(3)).relu();
        Tensor a3 = p.get(4).matmul(a2).add(p.get(5)).sigmoid();
        Tensor logprobs = a3.log().neg().mul(y).add(a3.neg().add(1).log().neg().mul(y.neg().add(1)));
        return logprobs.sum().mul(1.0 / x.cols());
    }

    /** The notebook's hand-written {@code backward_propagation_n}, with or without its two planted bugs. */
    List<Tensor> backward(List<Tensor> p, boolean plantBugs) {
        try (Grad.Scope off = Grad.disabled()) {
            double m = x.cols();
            Tensor z1 = p.get(0).matmul(x).add(p.get(1)), a1 = z1.relu();
            Tensor z2 = p.get(2).matmul(a1).add(p.get(3)), a2 = z2.relu();
            Tensor a3 = p.get(4).matmul(a2).add(p.get(5)).sigmoid();
            Tensor dz3 = a3.sub(y);
            Tensor dw3 = dz3.matmul(a2.transpose()).mul(1 / m), db3 = dz3.sum(1, true).mul(1 / m);
            Tensor dz2 = p.get(4).transpose().matmul(dz3).mul(step(a2));
            Tensor dw2 = dz2.matmul(a1.transpose()).mul((plantBugs ? 2 : 1) / m), db2 = dz2.sum(1, true).mul(1 / m);
            Tensor dz1 = p.get(2).transpose().matmul(dz2).mul(step(a1));
            Tensor dw1 = dz1.matmul(x.transpose()).mul(1 / m), db1 = dz1.sum(1, true).mul((plantBugs ? 4 : 1) / m);
            return List.of(dw1, db1, dw2, db2, dw3, db3);
        }
    }

    /** {@code [a > 0]} as 1.0 / 0.0, the notebook's {@code np.int64(A > 0)}. */
    private static Tensor step(Tensor a) {
        double[] d = a.toRowMajorArray();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] > 0 ? 1 : 0;
        }
        return Tensor.fromRowMajor(a.rows(), a.cols(), d);
    }

    /** The check: the course's difference over all parameters, for the given backward pass. */
    GradCheckReport check(boolean plantBugs) {
        return GradCheck.defaults().epsilon(1e-7).tolerance(1e-7, 1e-5)
                .compare(this::cost, backward(parameters, plantBugs), parameters.toArray(new Tensor[0]));
    }

    /** The course's check of its hand-written backward pass, with or without the planted bugs. */
    public static GradCheckReport report(boolean plantBugs) {
        return new GradientCheckN().check(plantBugs);
    }

    public static void main(String[] args) {
        GradientCheckN n = new GradientCheckN();
        for (boolean bugs : new boolean[] {true, false}) {
            GradCheckReport r = n.check(bugs);
            System.out.println((bugs ? "with the notebook's planted bugs" : "with the bugs fixed") + ":");
            System.out.print(r);
        }
    }
}
