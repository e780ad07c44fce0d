package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dense and Sequential: names, shapes, errors, and forward passes checked against numpy. */
class SequentialTest {

    @Test
    void builderNamesLayersParametersAndTensorsTheCourseWay() {
        Sequential model = Sequential.builder(12288, 20, 7, 5, 1).seed(1).build();
        assertEquals(List.of("hidden1.W", "hidden1.b", "hidden2.W", "hidden2.b", "hidden3.W", "hidden3.b", "output.W",
                "output.b"), List.copyOf(model.parameters().keySet()));
        Tensor w1 = model.parameters().get("hidden1.W");
        assertEquals("W[1]", w1.name());
        assertEquals(20, w1.rows());
        assertEquals(12288, w1.cols());
        assertEquals("b[4]", model.parameters().get("output.b").name());
        assertEquals("(1, 1)", model.parameters().get("output.b").shape().toString());
        assertTrue(w1.requiresGrad());
        Dense out = (Dense) model.children().get("output");
        assertEquals("sigmoid", out.activation().name());
        assertEquals("relu", ((Dense) model.children().get("hidden2")).activation().name());
        assertEquals(4, out.index());
    }

    @Test
    void forwardNamesZAndAAndMatchesNumpy() {
        // np.random.seed(1); W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1]); np.random.seed(2); X = randn(5, 4);
        // relu, relu, sigmoid forward with np.dot; cost = -1/4 * np.sum(Y*log(A) + (1-Y)*log(1-A)), Y = [1,0,1,1]
        Sequential model = Sequential.builder(5, 4, 3, 1).seed(1).build();
        Tensor x = Tensor.randn(5, 4, new NumpyRandom(2)).named("A[0]");
        Tensor al = model.forward(x);
        assertEquals("A[3]", al.name());
        assertEquals("Z[3]", ((Dense) model.children().get("output")).lastPreActivation().name());
        assertArrayEquals(new double[] {0.43619112592543663, 0.4614996256181557, 0.2974306850674444,
            0.42578720182071556}, al.toRowMajorArray(), 1e-15);
        Tensor cost = Losses.BINARY_CROSS_ENTROPY.cost(al, Tensor.row(1, 0, 1, 1));
        assertEquals(0.8787578782248952, cost.item(), 1e-14);
        cost.backward();
        assertEquals(model.parameters().get("hidden1.W").shape(), model.parameters().get("hidden1.W").grad().shape());
    }

    @Test
    void wrongInputRowsNameTheLayerAndTheExpectedShape() {
        Sequential model = Sequential.builder(2, 4, 1).seed(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.zeros(3, 7)));
        assertEquals("Dense \"hidden1\": input has 3 rows but W[1] is (4, 2): expected A[0] of shape (2, m)",
                e.getMessage());
        Dense second = (Dense) model.children().get("output");
        e = assertThrows(IllegalArgumentException.class, () -> second.forward(Tensor.zeros(2, 7)));
        assertEquals("Dense \"output\": input has 2 rows but W[2] is (1, 4): expected A[1] of shape (4, m)",
                e.getMessage());
    }

    @Test
    void standaloneDenseIsLayerOneUntilBound() {
        Dense d = new Dense(3, 2, Activation.IDENTITY, Initializer.HE, new NumpyRandom(0));
        assertEquals("W[1]", d.weight().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(4, 1)));
        assertEquals("Dense \"dense\": input has 4 rows but W[1] is (2, 3): expected A[0] of shape (3, m)",
                e.getMessage());
        d.bind("encoder", 3);
        assertEquals("W[3]", d.weight().name());
        assertEquals("b[3]", d.bias().name());
        d.bind("first", 1);
        d.forward(Tensor.ones(3, 5)); // the layer's kept values are named Z[1] now
        d.bind("encoder", 3);
        Tensor z = d.forward(Tensor.ones(3, 5));
        assertEquals("Z[3]", z.name());   // identity: A[l] is Z[l]
        Tensor kept = d.lastOutput();   // a copy of its own, without the graph
        assertArrayEquals(z.toRowMajorArray(), kept.toRowMajorArray(), 0.0);
        assertArrayEquals(kept.toRowMajorArray(), d.lastPreActivation().toRowMajorArray(), 0.0);
        assertEquals("Z[3]", kept.name());
        assertTrue(kept.isLeaf() && !kept.requiresGrad());
        // the next forward writes into the layer's buffers; a value read before does not change
        double[] before = kept.toRowMajorArray();
        Tensor z2 = d.forward(Tensor.full(3, 5, 2.0));
        assertArrayEquals(before, kept.toRowMajorArray(), 0.0);
        assertArrayEquals(z2.toRowMajorArray(), d.lastOutput().toRowMajorArray(), 0.0);
        kept.set(0, 0, 99.0);   // nor does changing a value read change the layer's
        assertArrayEquals(z2.toRowMajorArray(), d.lastOutput().toRowMajorArray(), 0.0);
    }

    @Test
    void badBuilderArgumentsAreRejected() {
        assertEquals("Sequential.builder: layers_dims needs at least the input size and one layer, got [5]",
                assertThrows(IllegalArgumentException.class, () -> Sequential.builder(5)).getMessage());
        assertEquals("Sequential.builder: layers_dims [5, 0, 1] has size 0 at position 1; every size must be positive",
                assertThrows(IllegalArgumentException.class, () -> Sequential.builder(5, 0, 1)).getMessage());
        assertThrows(IllegalStateException.class, () -> new Sequential().forward(Tensor.zeros(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Sequential.of(new BatchNorm(2), new BatchNorm(2))
                .add("layer1", new BatchNorm(2)));
    }

    @Test
    void dropoutForwardReproducesTheCourseTestCase() {
        // np.random.seed(1); X = randn(3,5); W1 = randn(2,3); b1 = randn(2,1); W2 = randn(3,2); b2 = randn(3,1);
        // W3 = randn(1,3); b3 = randn(1,1); forward_propagation_with_dropout(X, params, keep_prob=0.7), which
        // calls np.random.seed(1) and draws D1 = rand(2,5) < 0.7 then D2 = rand(3,5) < 0.7.
        // Published: A3 = [[0.36974721 0.00305176 0.04565099 0.49683389 0.36974721]]
        NumpyRandom data = new NumpyRandom(1);
        Tensor x = Tensor.randn(3, 5, data);
        NumpyRandom masks = new NumpyRandom(1);
        Dense l1 = new Dense(3, 2, Activation.RELU, Initializer.ZEROS, data);
        Dense l2 = new Dense(2, 3, Activation.RELU, Initializer.ZEROS, data);
        Dense l3 = new Dense(3, 1, Activation.SIGMOID, Initializer.ZEROS, data);
        for (Dense d : List.of(l1, l2, l3)) {
            d.weight().assign(Tensor.randn(d.weight().rows(), d.weight().cols(), data));
            d.bias().assign(Tensor.randn(d.bias().rows(), 1, data));
        }
        Sequential model = new Sequential().add("hidden1", l1).add("dropout1", new Dropout(0.7, masks))
                .add("hidden2", l2).add("dropout2", new Dropout(0.7, masks)).add("output", l3);
        Tensor a3 = model.forward(x);
        assertArrayEquals(new double[] {0.36974720617815354, 0.003051758134649767, 0.045650993373441896,
            0.4968338925883705, 0.36974720617815354}, a3.toRowMajorArray(), 1e-15);
        Dropout d1 = (Dropout) model.children().get("dropout1");
        assertEquals("D[1]", d1.lastMask().name());
        assertArrayEquals(new double[] {1, 0, 1, 1, 1, 1, 1, 1, 1, 1}, d1.lastMask().toRowMajorArray(), 0.0);
        assertArrayEquals(new double[] {1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0},
                ((Dropout) model.children().get("dropout2")).lastMask().toRowMajorArray(), 0.0);

        model.eval();
        Tensor evaluated = model.forward(x);
        assertNull(d1.lastMask());
        assertEquals(5, evaluated.cols());
    }

    @Test
    void builderWithDropoutAndBatchNorm() {
        Sequential model = Sequential.builder(4, 3, 2, 1).hidden(Activation.TANH).initializer(Initializer.XAVIER)
                .dropout(0.8, 7).batchNorm(true).seed(3).build();
        assertEquals(List.of("hidden1", "batchnorm1", "activation1", "dropout1", "hidden2", "batchnorm2", "activation2",
                "dropout2", "output"), List.copyOf(model.children().keySet()));
        assertEquals("gamma[2]", model.parameters().get("batchnorm2.gamma").name());
        assertEquals(List.of("batchnorm1.runningMean", "batchnorm1.runningVar", "batchnorm2.runningMean",
                "batchnorm2.runningVar"), List.copyOf(model.buffers().keySet()));
        Tensor x = Tensor.randn(4, 6, new NumpyRandom(0));
        Tensor cost = Losses.BINARY_CROSS_ENTROPY.cost(model.forward(x), Tensor.row(1, 0, 0, 1, 1, 0));
        cost.backward();
        assertTrue(Double.isFinite(model.parameters().get("batchnorm1.gamma").grad().sum().item()));
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder(2, 1).dropout(0.0, 1));
    }
}
