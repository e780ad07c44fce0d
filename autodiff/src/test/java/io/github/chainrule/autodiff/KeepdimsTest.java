package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Reductions without keepdims: a numpy user's habit must give numpy's numbers or an
 * error. numpy's rank-1 result broadcasts as a row, so axis 0 without keepdims is that row and
 * axis 1 without keepdims is refused (numpy itself fails or subtracts along the wrong axis).
 * The old code returned a column for both axes: on {@code [[1,2],[3,5]]},
 * {@code X.sub(X.mean(0, false))} gave {@code [[-1,0],[-0.5,1.5]]}.
 * Expected values from python3 + numpy 1.x, the line quoted above each check.
 */
class KeepdimsTest {
    private static final Tensor SQUARE = Tensor.of(new double[][] {{1, 2}, {3, 5}});
    private static final Tensor WIDE = Tensor.of(new double[][] {{1, 2, 4}, {3, 5, 9}});

    private static void assertValues(double[][] expected, Tensor actual) {
        assertEquals(Shape.of(expected.length, expected[0].length), actual.shape());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.toArray()[i], 1e-12, "row " + i);
        }
    }

    @Test
    void axis0WithoutKeepdimsBroadcastsAsNumpysRank1Result() {
        // X = np.array([[1., 2], [3, 5]]); X - X.mean(axis=0)  ->  [[-1, -1.5], [1, 1.5]]
        assertValues(new double[][] {{-1, -1.5}, {1, 1.5}}, SQUARE.sub(SQUARE.mean(0, false)));
        // N = np.array([[1., 2, 4], [3, 5, 9]]); N - N.mean(axis=0)  ->  [[-1, -1.5, -2.5], [1, 1.5, 2.5]]
        assertValues(new double[][] {{-1, -1.5, -2.5}, {1, 1.5, 2.5}}, WIDE.sub(WIDE.mean(0, false)));
        // N / N.sum(axis=0) -> [[0.25, 2/7, 4/13], [0.75, 5/7, 9/13]]; N - N.max(axis=0) -> [[-2, -3, -5], [0, 0, 0]]
        assertValues(new double[][] {{0.25, 2 / 7.0, 4 / 13.0}, {0.75, 5 / 7.0, 9 / 13.0}}, WIDE.div(WIDE.sum(0, false)));
        assertValues(new double[][] {{-2, -3, -5}, {0, 0, 0}}, WIDE.sub(WIDE.max(0, false)));
        // scipy.special.logsumexp(N, axis=0) has shape (3,): a row here, equal to the keepdims one
        assertValues(WIDE.logSumExp(0, true).toArray(), WIDE.logSumExp(0, false));
    }

    @Test
    void axis1WithoutKeepdimsIsRefusedAndKeepdimsGivesNumpysColumn() {
        // X - X.mean(axis=1) -> [[-0.5, -2], [1.5, 1]] in numpy: the row means subtracted along the wrong axis
        // N - N.mean(axis=1) -> ValueError: operands could not be broadcast together with shapes (2,3) (2,)
        for (Tensor x : new Tensor[] {SQUARE, WIDE}) {
            assertThrows(IllegalArgumentException.class, () -> x.sum(1, false));
            assertThrows(IllegalArgumentException.class, () -> x.mean(1, false));
            assertThrows(IllegalArgumentException.class, () -> x.max(1, false));
            assertThrows(IllegalArgumentException.class, () -> x.logSumExp(1, false));
        }
        assertEquals("mean: axis 1 without keepdims would give numpy's rank-1 (2,) from (2, 3), which numpy"
                + " broadcasts as a row, across the columns (so x - mean(x, axis=1) fails or subtracts along the"
                + " wrong axis); chainrule has no rank-1 arrays; hint: use mean(1, true) for the (2, 1) column,"
                + " numpy's keepdims=True",
                assertThrows(IllegalArgumentException.class, () -> WIDE.mean(1, false)).getMessage());
        // X - X.mean(axis=1, keepdims=True) -> [[-0.5, 0.5], [-1, 1]]
        assertValues(new double[][] {{-0.5, 0.5}, {-1, 1}}, SQUARE.sub(SQUARE.mean(1, true)));
        // N - N.mean(axis=1, keepdims=True) -> [[-4/3, -1/3, 5/3], [-8/3, -2/3, 10/3]]
        assertValues(new double[][] {{-4 / 3.0, -1 / 3.0, 5 / 3.0}, {-8 / 3.0, -2 / 3.0, 10 / 3.0}},
                WIDE.sub(WIDE.mean(1, true)));
    }

    @Test
    void axis0WithAndWithoutKeepdimsHaveTheSameGradient() {
        Tensor x = WIDE.detach().requiringGrad();
        Tensor w = Tensor.of(new double[][] {{1, -2, 3}});
        x.sub(x.mean(0, false)).mul(x).sum().backward();
        Tensor without = x.grad();
        x.zeroGrad();
        x.sub(x.mean(0, true)).mul(x).sum().backward();
        assertValues(x.grad().toArray(), without);
        assertEquals(Shape.of(1, 3), x.sum(0, false).mul(w).shape());
    }
}
