package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conventions at kinks and ties, which the op table avoids by its domains, and numerical
 * stability at large inputs.
 */
class EdgeCaseTest {

    private static double gradAt(double x0, java.util.function.UnaryOperator<Tensor> f) {
        Tensor x = Tensor.scalar(x0).requiringGrad();
        f.apply(x).backward();
        return x.grad().item();
    }

    @Test
    void kinksUseDocumentedSubgradients() {
        assertEquals(0.0, gradAt(0, Tensor::relu), "relu'(0) = 0");
        assertEquals(0.01, gradAt(0, x -> x.leakyRelu(0.01)), "leakyRelu'(0) = alpha");
        assertEquals(0.0, gradAt(0, Tensor::abs), "abs'(0) = 0");
        assertEquals(1.0, gradAt(0, x -> x.elu(1.0)), "elu'(0) = alpha·e^0 = 1 from the left");
        assertEquals(Double.POSITIVE_INFINITY, gradAt(0, Tensor::sqrt), "sqrt'(0) is infinite");
    }

    /** A column's values, −0.0 read as 0.0. */
    private static List<Double> column(Tensor t) {
        List<Double> v = new java.util.ArrayList<>();
        for (int i = 0; i < t.rows(); i++) {
            v.add(t.get(i, 0) + 0.0);
        }
        return v;
    }

    @Test
    void reluKinksHoldWithCreateGraphToo() {
        // with createGraph the rule runs as recorded tensor ops, not the fused loop: the same conventions
        for (double alpha : new double[] {0.0, 0.01}) {
            Tensor x = Tensor.column(-2, 0, 3).requiringGrad();
            Tensor y = alpha == 0 ? x.relu() : x.leakyRelu(alpha);
            Tensor g = Autograd.grad(y.mul(y).sum(), List.of(x), true).get(0); // 2·y·slope
            assertEquals(List.of(-4 * alpha * alpha + 0.0, 0.0, 6.0), column(g));
            Tensor gg = Autograd.grad(g.sum(), List.of(x), false).get(0); // 2·slope²
            assertEquals(List.of(2 * alpha * alpha, 2 * alpha * alpha, 2.0), column(gg), "second derivative, alpha " + alpha);
        }
        Tensor x = Tensor.scalar(0).requiringGrad();
        assertEquals(0.3, Autograd.grad(x.leakyRelu(0.3), List.of(x), true).get(0).item(), "leakyRelu'(0) = alpha");
        assertEquals(0.0, Autograd.grad(x.relu(), List.of(x), true).get(0).item(), "relu'(0) = 0");
    }

    @Test
    void tiesSendTheGradientToTheFirstCandidate() {
        Tensor a = Tensor.scalar(1).requiringGrad(), b = Tensor.scalar(1).requiringGrad();
        a.maximum(b).backward();
        assertEquals(1.0, a.grad().item());
        assertEquals(0.0, b.grad().item());

        Tensor x = Tensor.column(2, 5, 5, 1).requiringGrad();
        x.max(0, true).backward();
        assertEquals(List.of(0.0, 1.0, 0.0, 0.0), List.of(x.grad().get(0, 0), x.grad().get(1, 0),
                x.grad().get(2, 0), x.grad().get(3, 0)));
    }

    @Test
    void maximumAndMinimumPropagateNaNLikeNumpy() {
        Tensor a = Tensor.row(Double.NaN, 1, 2), b = Tensor.row(0, Double.NaN, 1);
        Tensor max = a.maximum(b), min = a.minimum(b);
        assertTrue(Double.isNaN(max.get(0, 0)) && Double.isNaN(max.get(0, 1)));
        assertTrue(Double.isNaN(min.get(0, 0)) && Double.isNaN(min.get(0, 1)));
        assertEquals(2.0, max.get(0, 2));
        assertEquals(1.0, min.get(0, 2));
    }

    @Test
    void sigmoidCrossEntropyIsFiniteForHugeLogits() {
        Tensor z = Tensor.row(-1000, 1000, -1000, 1000, 0).requiringGrad();
        Tensor y = Tensor.row(1, 0, 0, 1, 1);
        Tensor loss = z.sigmoidCrossEntropyWithLogits(y);
        assertEquals(List.of(1000.0, 1000.0, 0.0, 0.0, Math.log(2)), List.of(loss.get(0, 0), loss.get(0, 1),
                loss.get(0, 2), loss.get(0, 3), loss.get(0, 4)));
        loss.sum().backward();
        // ∂/∂z = σ(z) − y: −1, 1, 0, 0 and, at the removable kink z = 0, 0.5 − 1
        assertEquals(List.of(-1.0, 1.0, 0.0, 0.0, -0.5), List.of(z.grad().get(0, 0), z.grad().get(0, 1),
                z.grad().get(0, 2), z.grad().get(0, 3), z.grad().get(0, 4)));
    }

    @Test
    void binaryCrossEntropyOfSaturatedProbabilitiesIsFiniteAndStillLearns() {
        Tensor p = Tensor.row(1.0, 0.0, 0.0, 1.0).requiringGrad();
        Tensor y = Tensor.row(0, 1, 0, 1);
        Tensor loss = p.binaryCrossEntropy(y);
        // log floored at −100 (PyTorch's BCELoss): wrong and saturated costs 100, right and saturated costs 0
        assertEquals(List.of(100.0, 100.0, 0.0, 0.0), List.of(loss.get(0, 0), loss.get(0, 1), loss.get(0, 2),
                loss.get(0, 3)));
        loss.sum().backward();
        // ∂/∂p = (p − y) / max(p(1 − p), 1e-12): ±1e12 pushes a wrong saturated output back, 0 at the right one
        assertEquals(List.of(1e12, -1e12, 0.0, 0.0), List.of(p.grad().get(0, 0), p.grad().get(0, 1),
                p.grad().get(0, 2), p.grad().get(0, 3)));
        assertTrue(Double.isNaN(Tensor.scalar(Double.NaN).binaryCrossEntropy(Tensor.scalar(1)).item()));
        // the course: Y = [1, 1, 0], A = [.8, .9, .4] gives a cost of 0.2797765635793422
        assertEquals(0.2797765635793422,
                Tensor.row(.8, .9, .4).binaryCrossEntropy(Tensor.row(1, 1, 0)).mean().item(), 1e-15);
    }

    @Test
    void softmaxFamilyIsFiniteForHugeLogits() {
        Tensor z = Tensor.of(new double[][] {{1000, -1000}, {0, -1000}, {-1000, -999}}).requiringGrad();
        Tensor y = Tensor.of(new double[][] {{0, 0}, {1, 0}, {0, 1}});
        Tensor loss = z.softmaxCrossEntropyWithLogits(y);
        assertEquals(1000.0, loss.get(0, 0));
        assertEquals(Math.log1p(2 * Math.exp(-1)), loss.get(0, 1), 1e-15); // lse − z = log(1 + 2/e)
        loss.sum().backward();
        for (double g : z.grad().toRowMajorArray()) {
            assertTrue(Double.isFinite(g));
        }
        assertEquals(1.0, z.grad().get(0, 0), 1e-15);
        assertEquals(-1.0, z.grad().get(1, 0), 1e-15);
        Tensor s = Tensor.column(1000, 1000).softmax(0);
        assertEquals(0.5, s.get(0, 0));
        assertEquals(1000 + Math.log(2), Tensor.column(1000, 1000).logSumExp(0, false).item(), 1e-12);
    }

    @Test
    void sigmoidAndEluDoNotOverflow() {
        assertEquals(0.0, Tensor.scalar(-1000).sigmoid().item());
        assertEquals(1.0, Tensor.scalar(1000).sigmoid().item());
        assertEquals(0.0, gradAt(-1000, Tensor::sigmoid));
        assertEquals(0.0, gradAt(-1000, x -> x.elu(1)), 1e-300);
        assertEquals(1.0, gradAt(1000, x -> x.elu(1)));
    }

    @Test
    void noNaNLeaksFromAnUnselectedBranch() {
        // maximum(1, log x) at x = 0 selects the 1; log's local derivative 1/x is infinite there,
        // but no gradient reaches it, so the result is 0, not 0·∞ = NaN
        assertEquals(0.0, gradAt(0, x -> Tensor.scalar(1).maximum(x.log())));
        assertEquals(0.0, gradAt(0, x -> x.sqrt().minimum(Tensor.scalar(-1))));
        assertEquals(0.0, gradAt(0, x -> x.log().relu()), "relu'(−∞) = 0 stops the gradient before log");
        assertEquals(0.0, gradAt(0, x -> x.pow(0)), "d(x⁰)/dx = 0, also at 0");
        assertEquals(0.0, gradAt(0, x -> Tensor.scalar(-2).minimum(Tensor.scalar(1).div(x))),
                "1/x at 0 is +∞, not selected by minimum against −2");
    }

    @Test
    void logSumExpAndSoftmaxHandleInfinities() {
        Tensor x = Tensor.of(new double[][] {{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY},
            {Double.NEGATIVE_INFINITY, 0}});
        Tensor lse = x.logSumExp(0, true);
        assertEquals(Double.NEGATIVE_INFINITY, lse.get(0, 0));
        assertEquals(Double.POSITIVE_INFINITY, lse.get(0, 1));
        Tensor s = Tensor.column(Double.NEGATIVE_INFINITY, 0).softmax(0);
        assertEquals(0.0, s.get(0, 0));
        assertEquals(1.0, s.get(1, 0));
    }

    @Test
    void keepdimsShapes() {
        Tensor x = Tensor.ones(2, 3);
        assertEquals(Shape.of(1, 3), x.sum(0, true).shape());
        assertEquals(Shape.of(1, 3), x.sum(0, false).shape(), "without keepdims numpy's (3,) broadcasts as a row");
        assertEquals(Shape.of(2, 1), x.mean(1, true).shape());
        assertThrows(IllegalArgumentException.class, () -> x.max(1, false), "numpy's (2,) would broadcast as a row");
        assertEquals(Shape.of(1, 1), x.sum().shape());
    }
}
