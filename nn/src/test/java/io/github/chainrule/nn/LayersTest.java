package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** BatchNorm, Dropout and Maxout behaviour beyond their gradients (which the op table checks). */
class LayersTest {
    // np.random.seed(0); x = np.random.randn(3, 4); x2 = np.random.randn(3, 4)
    private static final double[] X = {1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458,
        1.8675579901499675, -0.977277879876411, 0.9500884175255894, -0.1513572082976979, -0.10321885179355784,
        0.41059850193837233, 0.144043571160878, 1.454273506962975};

    @Test
    void batchNormTrainingForwardAndRunningStatisticsMatchNumpy() {
        // g = [[1.5],[0.5],[2.0]]; be = [[0.1],[-0.2],[0.3]]; mu = x.mean(1, keepdims); var = ((x-mu)**2).mean(1, keepdims)
        // y = g*(x-mu)/np.sqrt(var+1e-5) + be; rm = 0.9*rm + 0.1*mu, rv = 0.9*rv + 0.1*var from rm = 0, rv = 1, twice
        NumpyRandom rng = new NumpyRandom(0);
        Tensor x = Tensor.randn(3, 4, rng);
        assertArrayEquals(X, x.toRowMajorArray(), 0.0);
        BatchNorm bn = new BatchNorm(3);
        bn.gamma().assign(Tensor.column(1.5, 0.5, 2.0));
        bn.beta().assign(Tensor.column(0.1, -0.2, 0.3));
        Tensor y = bn.forward(x);
        assertArrayEquals(new double[] {0.9857695769431448, -1.9037771070408782, -0.6779965350143032,
            1.9960040651120365, 0.46986458563750405, -0.8486492159183261, 0.04463924776887168, -0.46585461748804974,
            -1.6546529902168499, 0.07802482738415559, -0.8208428585276273, 3.5974710213603216}, y.toRowMajorArray(),
                1e-14);
        bn.forward(Tensor.randn(3, 4, rng));
        assertArrayEquals(new double[] {0.16264267414093478, 0.05670007398230713, -0.0015493246624713394},
                bn.runningMean().toRowMajorArray(), 1e-15);
        assertArrayEquals(new double[] {0.8604455000527705, 0.9887931523961881, 1.0279949675830282},
                bn.runningVar().toRowMajorArray(), 1e-15);

        bn.eval();
        Tensor one = bn.forward(Tensor.column(0.5, -1.0, 2.0));
        assertArrayEquals(new double[] {0.6455281894061137, -0.7313330380757357, 4.2481958348701125},
                one.toRowMajorArray(), 1e-14);
        double[] before = bn.runningMean().toRowMajorArray();
        bn.forward(Tensor.column(9, 9, 9));
        assertArrayEquals(before, bn.runningMean().toRowMajorArray(), 0.0);   // evaluation leaves the statistics alone
        assertEquals(2, bn.parameters().size());
        assertEquals(2, bn.buffers().size());
        assertTrue(!bn.runningMean().requiresGrad());
    }

    @Test
    void batchNormErrors() {
        BatchNorm bn = new BatchNorm(4);
        assertEquals("BatchNorm \"batchnorm\": training mode needs a batch of at least 2 columns to estimate the mean"
                + " and variance, got (4, 1); hint: call eval() to use the running statistics",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(4, 1))).getMessage());
        bn.eval();
        assertEquals(Shape.of(4, 1), bn.forward(Tensor.ones(4, 1)).shape(), "one column is fine in evaluation mode");
        bn.train();
        assertEquals("BatchNorm \"batchnorm\": input has 3 rows but gamma[1] is (4, 1): expected input of shape (4, m)",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(3, 2))).getMessage());
        assertEquals("BatchNorm: momentum must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(2, 1.0, 1e-5)).getMessage());
        assertEquals("BatchNorm: eps must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(2, 0.9, 0)).getMessage());
        assertEquals("batchNorm: x is (3, 2) so gamma and beta must be (3, 1), got (2, 1) and (3, 1)",
                assertThrows(IllegalArgumentException.class, () -> Functional.batchNorm(Tensor.zeros(3, 2),
                        Tensor.ones(2, 1), Tensor.zeros(3, 1), 1e-5)).getMessage());
    }

    @Test
    void dropoutKeepProbOutsideZeroOneIsRejected() {
        NumpyRandom rng = new NumpyRandom(1);
        for (double bad : new double[] {0.0, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(bad, rng));
            assertEquals("Dropout: keep_prob must be in (0, 1], got " + bad + "; hint: keep_prob is the probability of"
                    + " keeping a unit (1 disables dropout), not of dropping it", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Functional.dropout(Tensor.ones(2, 2), Tensor.ones(2, 2), 0));
        assertEquals("dropout: mask (2, 1) must have the input's shape (2, 2)", assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout(Tensor.ones(2, 2), Tensor.ones(2, 1), 0.5)).getMessage());
    }

    @Test
    void dropoutScalesKeptUnitsAndIsOffInEvaluationAndAtKeepProbOne() {
        Dropout d = new Dropout(0.5, new NumpyRandom(3));
        Tensor a = Tensor.ones(4, 50);
        double[] out = d.forward(a).toRowMajorArray();
        double[] mask = d.lastMask().toRowMajorArray();
        for (int i = 0; i < out.length; i++) {
            assertEquals(mask[i] * 2.0, out[i], 0.0);
        }
        d.eval();
        assertSame(a, d.forward(a));
        NumpyRandom untouched = new NumpyRandom(3);
        Dropout keepAll = new Dropout(1.0, untouched);
        assertSame(a, keepAll.forward(a));
        assertEquals(new NumpyRandom(3).rand(), untouched.rand(), 0.0);   // keep_prob 1 draws nothing
    }

    @Test
    void maxoutTakesTheLargestPiecePerUnit() {
        Maxout m = new Maxout(2, 2, 3, Initializer.ZEROS, new NumpyRandom(0));
        assertEquals("(6, 2)", m.weight().shape().toString());
        // pieces p = 0, 1, 2 in rows [2p, 2p+2): unit 0 gets x0, -x0, 2·x1; unit 1 gets x1, 0 + 1, -x1
        m.weight().assign(Tensor.of(new double[][] {{1, 0}, {0, 1}, {-1, 0}, {0, 0}, {0, 2}, {0, -1}}));
        m.bias().assign(Tensor.column(0, 0, 0, 1, 0, 0));
        Tensor a = m.forward(Tensor.of(new double[][] {{3, -2}, {-1, 0.5}}));
        assertArrayEquals(new double[] {3, 2, 1, 1}, a.toRowMajorArray(), 0.0);
        assertEquals("A[1]", a.name());
        assertEquals("Maxout \"maxout\": input has 3 rows but W[1] is (6, 2): expected A[0] of shape (2, m)",
                assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(3, 1))).getMessage());
        assertEquals("maxout: W is (5, 2) but its 5 rows are not a multiple of k = 2: expected (k·n, n[l-1])",
                assertThrows(IllegalArgumentException.class, () -> Functional.maxout(Tensor.zeros(2, 1),
                        Tensor.zeros(5, 2), Tensor.zeros(5, 1), 2)).getMessage());
    }

    @Test
    void linearChecksBiasShape() {
        assertEquals("linear: b is (1, 3) but W is (3, 2): expected b of shape (3, 1)",
                assertThrows(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(2, 4),
                        Tensor.zeros(3, 2), Tensor.zeros(1, 3))).getMessage());
    }
}
