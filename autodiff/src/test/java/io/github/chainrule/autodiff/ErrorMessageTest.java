package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad input gets a clear error: the op, the problem, the full shapes, and a hint. */
class ErrorMessageTest {

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void matmulShapes() {
        assertEquals("matmul: shapes (2, 3) and (4, 5) cannot be multiplied (3 != 4)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5))));
        assertEquals("matmul: shapes (2, 3) and (2, 3) cannot be multiplied (3 != 2); hint: for an elementwise"
                + " product use mul()",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(2, 3))));
    }

    @Test
    void matmulHintsAtMulOnlyWhenAnElementwiseProductWouldWork() {
        assertEquals("matmul: shapes (2, 3) and (2, 5) cannot be multiplied (3 != 2)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(2, 5))));
        assertEquals("item: the tensor has shape (2, 2); only (1, 1) tensors have a single item",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 2).item()));
    }

    @Test
    void broadcastShapes() {
        assertEquals("add: shapes (2, 3) and (4, 3) are not broadcastable (axis 0: 2 vs 4)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4, 3))));
        assertEquals("mul: shapes (2, 3) and (2, 5) are not broadcastable (axis 1: 3 vs 5)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).mul(Tensor.ones(2, 5))));
        // composites name themselves, not the primitives they are built from
        assertEquals("sub: shapes (2, 3) and (4, 3) are not broadcastable (axis 0: 2 vs 4)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).sub(Tensor.ones(4, 3))));
        assertEquals("div: shapes (2, 3) and (2, 5) are not broadcastable (axis 1: 3 vs 5)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).div(Tensor.ones(2, 5))));
    }

    @Test
    void backwardOnNonScalar() {
        Tensor x = Tensor.ones(2, 3).requiringGrad();
        assertEquals("backward: output must be 1×1, got (2, 3); hint: reduce it with sum() or mean() first, or give"
                + " the upstream gradient dA of the same shape: backward(dA)",
                message(IllegalArgumentException.class, () -> x.exp().backward()));
    }

    @Test
    void backwardWithoutVariables() {
        assertEquals("backward: \"J\" does not depend on any tensor that requires gradients; hint: mark the inputs"
                + " with requiringGrad() before computing it",
                message(IllegalStateException.class, () -> Tensor.scalar(2).mul(3).named("J").backward()));
    }

    @Test
    void missingGradient() {
        assertEquals("grad: \"x\" (1, 1) has no gradient; call backward() on a (1, 1) output computed from it"
                + " (and mark it with requiringGrad() first)",
                message(IllegalStateException.class, () -> Tensor.scalar(1).named("x").grad()));
    }

    @Test
    void nonFiniteValuesWhenAskedToCheck() {
        Tensor t = Tensor.of(new double[][] {{1, 2}, {3, Double.NaN}}).named("X");
        assertEquals("checkFinite: \"X\" (2, 2) has NaN at (1, 1)",
                message(IllegalArgumentException.class, t::checkFinite));
    }

    @Test
    void reshapeToADifferentSize() {
        assertEquals("reshape: cannot reshape (2, 3) (6 elements) to (4, 2) (8 elements)",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).reshape(4, 2)));
    }

    @Test
    void axisOtherThanZeroOrOne() {
        assertEquals("sum: axis must be 0 (down the rows) or 1 (across the columns), got 2",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).sum(2, true)));
        assertEquals("max: axis must be 0 (down the rows) or 1 (across the columns), got -1",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).max(-1, true)));
    }

    @Test
    void raggedRows() {
        assertEquals("of: ragged rows: row 0 has 3 columns but row 1 has 2; every row needs the same length",
                message(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2, 3}, {4, 5}})));
    }

    @Test
    void nullArguments() {
        assertEquals("add: right operand must not be null",
                message(NullPointerException.class, () -> Tensor.ones(1, 1).add((Tensor) null)));
        assertEquals("of: values must not be null", message(NullPointerException.class, () -> Tensor.of(null)));
        assertEquals("matmul: right operand must not be null",
                message(NullPointerException.class, () -> Tensor.ones(1, 1).matmul(null)));
    }

    @Test
    void itemOfAMatrix() {
        assertEquals("item: tensor \"W\" has shape (2, 2); only (1, 1) tensors have a single item",
                message(IllegalArgumentException.class, () -> Tensor.ones(2, 2).named("W").item()));
    }

    @Test
    void badShapeSizes() {
        assertEquals("zeros: sizes must be at least 1, got (0, 3)",
                message(IllegalArgumentException.class, () -> Tensor.zeros(0, 3)));
    }

    @Test
    void sliceOutsideTheTensor() {
        assertEquals("slice: rows [1, 4) and columns [0, 2) are not a non-empty part of \"X\" (3, 2)",
                message(IllegalArgumentException.class, () -> Tensor.ones(3, 2).named("X").rows(1, 4)));
    }

    @Test
    void concatMismatch() {
        assertEquals("concat: along axis 0 every part needs 3 columns, but part 1 is (2, 2) and part 0 is (1, 3)",
                message(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.ones(1, 3), Tensor.ones(2, 2))));
    }

    @Test
    void requiringGradOnAnOpResult() {
        Tensor y = Tensor.scalar(1).requiringGrad().mul(2);
        assertEquals("requiringGrad: the tensor (1, 1) was computed by mul and already follows its inputs; only leaves"
                + " (tensors created directly) can be marked", message(IllegalStateException.class, y::requiringGrad));
    }
}
