package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The course's step-by-step notebook backpropagates a given {@code dA}
 * through a layer; {@link Tensor#backward(Tensor)} does that. Expected values from numpy
 * (python3, numpy), the notebook's {@code sigmoid_backward} and {@code linear_backward}:
 * <pre>
 * np.random.seed(2)
 * A_prev = np.random.randn(3, 4); W = np.random.randn(2, 3); b = np.random.randn(2, 1); dA = np.random.randn(2, 4)
 * m = A_prev.shape[1]
 * Z = W @ A_prev + b; A = 1 / (1 + np.exp(-Z))
 * dZ = dA * A * (1 - A)                                # sigmoid_backward
 * dW = dZ @ A_prev.T / m                               # linear_backward
 * db = np.sum(dZ, axis=1, keepdims=True) / m
 * dA_prev = W.T @ dZ
 * </pre>
 * The course puts {@code 1/m} into {@code dW} and {@code db} but not into {@code dA_prev}; as true
 * derivatives of one cost they all carry it, so with upstream {@code dA/m} chainrule gives the
 * course's {@code dW} and {@code db}, and {@code dZ/m}, {@code dA_prev/m}.
 */
class UpstreamGradientTest {
    static final double[][] DZ = {
        {-0.1966581896560965, -0.038246150784005055, 0.04803686679638817, -0.10797520548416689},
        {-0.0681004574893369, -0.04623424384533629, -0.07106035302062555, -0.14996853254694362}};
    static final double[][] DW = {
        {-0.048903477882957964, 0.13587611920174267, 0.0054523759236190595},
        {-0.01580182578890835, 0.07801760817631499, -0.06721782030553643}};
    static final double[][] DB = {{-0.07371066978197008}, {-0.08384089672556058}};
    static final double[][] DA_PREV = {
        {0.032429686467047, 0.025974271043521693, 0.04435874101318482, 0.0849199708489121},
        {0.22115198977159867, 0.0436408291801288, -0.05234221585895808, 0.12357720214228221},
        {-0.18602835404297222, -0.07494219871124935, -0.05760132871613215, -0.23441814156198842}};

    private static void assertMatrix(double[][] expected, double scale, Tensor actual) {
        assertEquals(Shape.of(expected.length, expected[0].length), actual.shape());
        for (int i = 0; i < expected.length; i++) {
            double[] row = expected[i].clone();
            for (int j = 0; j < row.length; j++) {
                row[j] *= scale;
            }
            assertArrayEquals(row, actual.toArray()[i], 1e-15, "row " + i);
        }
    }

    @Test
    void backpropagatesAGivenDAThroughADenseLayerAsTheCourseDoes() {
        NumpyRandom rng = new NumpyRandom(2);
        Tensor aPrev = Tensor.randn(3, 4, rng).named("A_prev").requiringGrad();
        Tensor w = Tensor.randn(2, 3, rng).named("W").requiringGrad();
        Tensor b = Tensor.randn(2, 1, rng).named("b").requiringGrad();
        Tensor dA = Tensor.randn(2, 4, rng);
        int m = aPrev.cols();
        Tensor z = w.matmul(aPrev).add(b).named("Z");
        Tensor a = z.sigmoid().named("A");
        Tensor upstream = dA.div(m);
        double[] before = upstream.toRowMajorArray();

        a.backward(upstream);

        assertMatrix(DW, 1, w.grad());            // dW = dZ·A_prevᵀ / m
        assertMatrix(DB, 1, b.grad());            // db = Σ_columns dZ / m, summed back over the broadcast
        assertMatrix(DZ, 1.0 / m, z.grad());
        assertMatrix(DA_PREV, 1.0 / m, aPrev.grad());
        assertMatrix(dA.div(m).toArray(), 1, a.grad());
        assertArrayEquals(before, upstream.toRowMajorArray(), 0.0, "the upstream gradient is not modified");
    }

    @Test
    void linearBackwardStepByStep() {
        // the notebook's two steps: sigmoid_backward gives dZ from dA, linear_backward dA_prev from dZ
        NumpyRandom rng = new NumpyRandom(2);
        Tensor aPrev = Tensor.randn(3, 4, rng).requiringGrad();
        Tensor w = Tensor.randn(2, 3, rng).requiringGrad();
        Tensor b = Tensor.randn(2, 1, rng).requiringGrad();
        Tensor dA = Tensor.randn(2, 4, rng);
        Tensor zValues = w.matmul(aPrev).add(b).detach().requiringGrad();
        zValues.sigmoid().backward(dA);
        assertMatrix(DZ, 1, zValues.grad());      // dZ = dA ⊙ σ(Z)(1 − σ(Z))
        Tensor z = w.matmul(aPrev).add(b);
        z.backward(zValues.grad());
        assertMatrix(DA_PREV, 1, aPrev.grad());   // dA_prev = Wᵀ·dZ
        assertMatrix(DW, 4, w.grad());            // dZ·A_prevᵀ, the course's dW times m
    }

    @Test
    void onesAsUpstreamIsTheGradientOfTheSum() {
        Tensor x = Tensor.of(new double[][] {{1, -2}, {0.5, 3}}).requiringGrad();
        x.tanh().matmul(x).backward(Tensor.ones(2, 2));
        double[] viaUpstream = x.grad().toRowMajorArray();
        x.zeroGrad();
        x.tanh().matmul(x).sum().backward();
        assertArrayEquals(x.grad().toRowMajorArray(), viaUpstream, 0.0);
    }

    @Test
    void theUpstreamGradientMustHaveTheTensorsShape() {
        Tensor x = Tensor.ones(2, 3).requiringGrad();
        Tensor a = x.exp().named("A");
        assertEquals("backward: the upstream gradient (3, 2) must have the shape of \"A\" (2, 3) (dA has A's shape);"
                + " hint: it looks transposed", assertThrows(IllegalArgumentException.class,
                        () -> a.backward(Tensor.ones(3, 2))).getMessage());
        assertEquals("backward: the upstream gradient (1, 3) must have the shape of \"A\" (2, 3) (dA has A's shape)",
                assertThrows(IllegalArgumentException.class, () -> a.backward(Tensor.ones(1, 3))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, a::backward).getMessage().endsWith(
                "or give the upstream gradient dA of the same shape: backward(dA)"), "backward() leads to backward(dA)");
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2, 3).backward(Tensor.ones(2, 3)));
    }
}
