package io.github.chainrule.autodiff;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The shape {@code (rows, cols)} of a {@link Tensor}. Every tensor is a matrix: a scalar is
 * {@code (1, 1)}, a column vector {@code (n, 1)}, a row vector {@code (1, n)}.
 *
 * <p>This class is the one place where numpy's broadcasting rule lives: two shapes are
 * compatible when, on each axis, their sizes are equal or one of them is 1; the result takes
 * the larger size on each axis.
 *
 * <p>It is also the one place where sizes are checked: every shape, however it is made (a
 * factory, {@code reshape}, a broadcast, a matrix product, a concatenation, a gather), has at
 * least one row and one column and at most {@link #MAX_SIZE} elements, so that
 * {@code rows · cols} never overflows an {@code int} and the elements fit in one Java array.
 * Operations that compute a result's sizes do it in {@code long} and call
 * {@link #of(String, long, long)}, so the error names them.
 *
 * @param rows number of rows, at least 1
 * @param cols number of columns, at least 1
 */
public record Shape(int rows, int cols) {

    /**
     * The largest number of elements a tensor may hold, {@code 2³¹ − 9 = 2 147 483 639}: the
     * largest array length every common JVM can allocate ({@code Integer.MAX_VALUE − 8}, as
     * the JDK's own collections assume). {@code rows · cols} of every shape is at most this.
     */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    /** The shape of a scalar, {@code (1, 1)}. */
    public static final Shape SCALAR = new Shape(1, 1);

    /**
     * @throws IllegalArgumentException if a size is below 1 or {@code rows · cols > MAX_SIZE}
     */
    public Shape {
        check("shape", rows, cols);
    }

    /** Shorthand for {@code new Shape(rows, cols)}. */
    public static Shape of(int rows, int cols) {
        return new Shape(rows, cols);
    }

    /**
     * The shape {@code (rows, cols)} of a result computed by {@code op}, whose sizes may exceed an
     * {@code int} (a concatenation's total, for instance): checked here before anything is
     * allocated.
     *
     * @param op the operation asking, named in the error
     * @throws IllegalArgumentException if a size is below 1 or the shape holds more than
     *     {@link #MAX_SIZE} elements; the message names the op, the shape and the limit
     */
    public static Shape of(String op, long rows, long cols) {
        check(op, rows, cols);
        return new Shape((int) rows, (int) cols);
    }

    /** The one size check of every shape. */
    private static void check(String op, long rows, long cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: sizes must be at least 1, got (%d, %d)", op, rows, cols));
        }
        // each factor ≤ MAX_SIZE < 2^31 first, so the product cannot overflow a long
        if (rows > MAX_SIZE || cols > MAX_SIZE || rows * cols > MAX_SIZE) {
            // Locale.ROOT: the same digits and grouping commas in every locale
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: shape (%d, %d) would hold %,d elements, more than the limit of %,d (Shape.MAX_SIZE,"
                    + " the largest Java array)", op, rows, cols,
                    BigInteger.valueOf(rows).multiply(BigInteger.valueOf(cols)), MAX_SIZE));
        }
    }

    /** Equal sizes. Written out: the generated record equality is slower on the per-operation path. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Shape s && s.rows == rows && s.cols == cols;
    }

    @Override
    public int hashCode() {
        return 31 * rows + cols;
    }

    /** Number of elements, {@code rows · cols}, at most {@link #MAX_SIZE}. */
    public int size() {
        return rows * cols;
    }

    /** Whether this is {@code (1, 1)}. */
    public boolean isScalar() {
        return rows == 1 && cols == 1;
    }

    /** Size along {@code axis} (0 = rows, 1 = columns). */
    public int size(int axis) {
        return Checks.axis("shape", axis) == 0 ? rows : cols;
    }

    /** This shape with {@code axis} reduced to size 1 (the result of a reduction with keepdims). */
    public Shape reduced(int axis) {
        return Checks.axis("shape", axis) == 0 ? new Shape(1, cols) : new Shape(rows, 1);
    }

    /** This shape with rows and columns swapped. */
    public Shape transposed() {
        return new Shape(cols, rows);
    }

    /**
     * The numpy broadcast of two shapes: on each axis the sizes must be equal or one of them 1.
     *
     * @param op the operation asking, named in the error
     * @throws IllegalArgumentException naming the op, both shapes and the first axis that differs
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        return of(op, broadcastAxis(op, a, b, 0, a.rows, b.rows), broadcastAxis(op, a, b, 1, a.cols, b.cols));
    }

    private static int broadcastAxis(String op, Shape a, Shape b, int axis, int x, int y) {
        if (x == y || y == 1) {
            return x;
        }
        if (x == 1) {
            return y;
        }
        throw new IllegalArgumentException(String.format(
                "%s: shapes %s and %s are not broadcastable (axis %d: %d vs %d)", op, a, b, axis, x, y));
    }

    /** Whether this shape can be expanded to {@code target} by repeating along size-1 axes. */
    public boolean expandsTo(Shape target) {
        return (rows == target.rows || rows == 1) && (cols == target.cols || cols == 1);
    }

    /** Prints as numpy does: {@code (2, 3)}. */
    @Override
    public String toString() {
        return "(" + rows + ", " + cols + ")";
    }
}
