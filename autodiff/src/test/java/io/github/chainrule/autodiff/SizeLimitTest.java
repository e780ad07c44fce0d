package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Size overflow: {@code rows · cols} used to be computed as an int, so
 * {@code zeros(65536, 65536)} had size 0, {@code ones(65536, 65537).sum()} was 65536 and
 * {@code zeros(50000, 50000)} threw {@code NegativeArraySizeException}. Every way of making a
 * shape now goes through {@link Shape}'s one check, which names the op, the shape and the limit.
 * Nothing here allocates more than a few megabytes: the check runs before any allocation.
 */
class SizeLimitTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void factoriesRefuseShapesWhoseSizeOverflowsAnInt() {
        assertEquals("zeros: shape (65536, 65536) would hold 4,294,967,296 elements, more than the limit of"
                + " 2,147,483,639 (Shape.MAX_SIZE, the largest Java array)",
                message(() -> Tensor.zeros(65536, 65536)));
        assertTrue(message(() -> Tensor.ones(65536, 65537)).startsWith(
                "ones: shape (65536, 65537) would hold 4,295,032,832 elements"));
        // was NegativeArraySizeException
        assertTrue(message(() -> Tensor.zeros(50000, 50000)).startsWith(
                "zeros: shape (50000, 50000) would hold 2,500,000,000 elements"));
        assertTrue(message(() -> Tensor.full(65536, 65536, 2.0)).startsWith("full: shape (65536, 65536)"));
        assertTrue(message(() -> Tensor.eye(65536)).startsWith("eye: shape (65536, 65536)"));
        assertTrue(message(() -> Tensor.randn(65536, 65536, new NumpyRandom(1))).startsWith("randn: shape"));
        assertTrue(message(() -> Tensor.rand(65536, 65536, new NumpyRandom(1))).startsWith("rand: shape"));
        assertTrue(message(() -> Tensor.fromRowMajor(65536, 65536, new double[0])).startsWith(
                "fromRowMajor: shape (65536, 65536)"));
        double[] row = new double[65537];
        double[][] rows = Collections.nCopies(65536, row).toArray(new double[0][]);   // 0.5 MB, shared row
        assertTrue(message(() -> Tensor.of(rows)).startsWith("of: shape (65536, 65537) would hold"));
    }

    @Test
    void theShapeItselfRefusesAndTheLimitIsExact() {
        assertTrue(message(() -> new Shape(65536, 65536)).startsWith("shape: shape (65536, 65536)"));
        assertTrue(message(() -> Shape.of(46341, 46341)).contains("2,147,488,281 elements"));
        assertEquals(Shape.MAX_SIZE, Shape.of(1, Shape.MAX_SIZE).size());
        assertEquals(Shape.MAX_SIZE, Shape.of("test", Shape.MAX_SIZE, 1).size());
        assertTrue(message(() -> Shape.of("test", 1, Shape.MAX_SIZE + 1L)).startsWith(
                "test: shape (1, 2147483640) would hold 2,147,483,640 elements"));
        assertTrue(message(() -> Shape.of(2, Integer.MAX_VALUE / 2)).contains("2,147,483,646 elements"));
        assertTrue(message(() -> Shape.of("test", Long.MAX_VALUE, Long.MAX_VALUE)).contains(
                "85,070,591,730,234,615,847,396,907,784,232,501,249 elements"), "no long overflow in the check");
        assertEquals("shape: sizes must be at least 1, got (0, 3)", message(() -> Shape.of(0, 3)));
    }

    @Test
    void reshapeToAShapeWhoseSizeWrapsAround() {
        // 65536 · 65537 = 2^32 + 65536 wraps to 65536 as an int: the old size check passed
        Tensor x = Tensor.zeros(1, 65536);
        assertTrue(message(() -> x.reshape(65536, 65537)).startsWith("reshape: shape (65536, 65537) would hold"));
    }

    @Test
    void broadcastingAndProductsCheckTheirResultShape() {
        Tensor column = Tensor.zeros(65536, 1), row = Tensor.zeros(1, 65537);
        assertTrue(message(() -> column.add(row)).startsWith("add: shape (65536, 65537) would hold"));
        assertTrue(message(() -> column.mul(row)).startsWith("mul: shape (65536, 65537) would hold"));
        assertTrue(message(() -> column.sub(row)).startsWith("sub: shape (65536, 65537)"));
        assertTrue(message(() -> column.matmul(row)).startsWith("matmul: shape (65536, 65537) would hold"));
        assertTrue(message(() -> Tensor.zeros(65536, 1).expand(new Shape(65536, 65537))).startsWith("shape: shape"));
        assertTrue(message(() -> column.selectColumns(new int[65537])).startsWith(
                "selectColumns: shape (65536, 65537) would hold"));
    }

    @Test
    void concatenationTotalsAreCountedInLong() {
        Tensor part = Tensor.zeros(1 << 20, 1);                                   // 8 MB, reused
        Tensor[] parts = Collections.nCopies(2048, part).toArray(new Tensor[0]);  // 2^31 rows in all
        assertTrue(message(() -> Tensor.concat(0, parts)).startsWith(
                "concat: shape (2147483648, 1) would hold 2,147,483,648 elements"));
        Tensor[] wrapping = Collections.nCopies(4097, part).toArray(new Tensor[0]);  // 2^32 + 2^20 wraps to 2^20
        assertTrue(message(() -> Tensor.concat(0, wrapping)).startsWith("concat: shape (4296015872, 1)"));
    }
}
