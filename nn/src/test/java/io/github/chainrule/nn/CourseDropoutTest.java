package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Course-mode dropout: the regularization notebook calls {@code np.random.seed(1)} at the
 * start of every forward pass, so every iteration uses the same masks. A network whose mask
 * generator is seeded once matches it at iteration 0 and then drifts;
 * {@link Dropout.Seeding#EVERY_FORWARD} reproduces it. Expected costs from this numpy run
 * (python3, numpy; the notebook's functions inlined):
 * <pre>
 * np.random.seed(2); X = np.random.randn(2, 12); Y = (X[0:1, :] * X[1:2, :] > 0).astype(float)
 * dims = [2, 5, 3, 1]; np.random.seed(3)                        # initialize_parameters
 * W_l = np.random.randn(dims[l], dims[l-1]) / np.sqrt(dims[l-1]); b_l = np.zeros((dims[l], 1))
 * kp, lr, m = 0.86, 0.3, 12
 * for i in range(1001):
 *     np.random.seed(1)                                          # forward_propagation_with_dropout
 *     A1 = relu(W1 @ X + b1); D1 = np.random.rand(A1.shape[0], A1.shape[1]) < kp; A1 = A1 * D1 / kp
 *     A2 = relu(W2 @ A1 + b2); D2 = np.random.rand(A2.shape[0], A2.shape[1]) < kp; A2 = A2 * D2 / kp
 *     A3 = sigmoid(W3 @ A2 + b3)
 *     cost = 1. / m * np.nansum(-np.log(A3) * Y - np.log(1 - A3) * (1 - Y))   # compute_cost
 *     dZ3 = A3 - Y; dW3 = dZ3 @ A2.T / m; db3 = dZ3.sum(axis=1, keepdims=True) / m
 *     dA2 = W3.T @ dZ3 * D2 / kp; dZ2 = dA2 * (A2 > 0); ...     # backward_propagation_with_dropout
 *     W_l = W_l - lr * dW_l; b_l = b_l - lr * db_l                # update_parameters
 * -> {0: 0.6949643464403619, 1: 0.6930858848657782, 2: 0.6912590497334279, 10: 0.6820906546202578,
 *     100: 0.36664472274902515, 1000: 0.0007645826354968561}
 * </pre>
 */
class CourseDropoutTest {
    private static final Map<Integer, Double> NUMPY = Map.of(0, 0.6949643464403619, 1, 0.6930858848657782,
            2, 0.6912590497334279, 10, 0.6820906546202578, 100, 0.36664472274902515, 1000, 0.0007645826354968561);

    /** The notebook's loop: forward with dropout, compute_cost, backward, gradient descent with lr 0.3. */
    private static Map<Integer, Double> train(Dropout.Seeding seeding) {
        NumpyRandom data = new NumpyRandom(2);
        Tensor x = Tensor.randn(2, 12, data);
        double[] y = new double[12];
        for (int j = 0; j < 12; j++) {
            y[j] = x.get(0, j) * x.get(1, j) > 0 ? 1 : 0;
        }
        Tensor labels = Tensor.row(y);
        Sequential model = Sequential.builder(2, 5, 3, 1).initializer(Initializer.DEEP).seed(3)
                .dropout(0.86, 1, seeding).build();
        Map<Integer, Double> costs = new TreeMap<>();
        for (int i = 0; i <= 1000; i++) {
            Tensor cost = Losses.binaryCrossEntropy(model.forward(x), labels);
            if (NUMPY.containsKey(i)) {
                costs.put(i, cost.item());
            }
            cost.backward();
            try (Grad.Scope off = Grad.disabled()) {
                for (Tensor p : model.parameters().values()) {
                    p.addInPlace(p.grad(), -0.3);
                }
            }
            model.zeroGrad();
        }
        return costs;
    }

    @Test
    void everyForwardSeedingReproducesTheNotebooksCosts() {
        Map<Integer, Double> costs = train(Dropout.Seeding.EVERY_FORWARD);
        for (Map.Entry<Integer, Double> e : new TreeMap<>(NUMPY).entrySet()) {
            assertEquals(e.getValue(), costs.get(e.getKey()), 1e-12, "cost after iteration " + e.getKey());
        }
    }

    @Test
    void seedingOnceIsTheDocumentedDefaultAndDriftsFromTheNotebookAfterIterationZero() {
        Map<Integer, Double> once = train(Dropout.Seeding.ONCE);
        assertEquals(NUMPY.get(0), once.get(0), 1e-12, "the same masks at iteration 0");
        assertNotEquals(NUMPY.get(1), once.get(1), 1e-6, "new masks at iteration 1");
        Sequential byDefault = Sequential.builder(2, 5, 1).dropout(0.5, 1).build();
        Tensor x = Tensor.ones(2, 8);
        byDefault.forward(x);
        Dropout d = (Dropout) byDefault.children().get("dropout1");
        double[] first = d.lastMask().toRowMajorArray();
        byDefault.forward(x);
        assertNotEquals(Arrays.toString(first), Arrays.toString(d.lastMask().toRowMajorArray()),
                "dropout(keepProb, seed) draws new masks every forward pass");
        Sequential course = Sequential.builder(2, 5, 1).dropout(0.5, 1, Dropout.Seeding.EVERY_FORWARD).build();
        course.forward(x);
        Dropout c = (Dropout) course.children().get("dropout1");
        double[] courseFirst = c.lastMask().toRowMajorArray();
        assertArrayEquals(first, courseFirst, 0.0);
        course.forward(x);
        assertArrayEquals(courseFirst, c.lastMask().toRowMajorArray(), 0.0, "the same masks every forward pass");
        assertThrows(NullPointerException.class, () -> Sequential.builder(2, 1).dropout(0.5, 1, null));
    }
}
