package io.github.chainrule.autodiff;

/**
 * The shape {@code (rows, cols)} of a {@link Tensor}. Every tensor is a matrix: a scalar is
 * {@code (1, 1)}, a column vector {@code (n, 1)}, a row vector {@code (1, n)}.
 *
 * <p>This class is the one place where numpy's broadcasting rule lives: two shapes are
 * compatible when, on each axis, their sizes are equal or one of them is 1; the result takes
 * the larger size on each axis.
 *
 * @param rows number of rows, at least 1
 * @param cols number of columns, at least 1
 */
public record Shape(int rows, int cols) {

    /** The shape of a scalar, {@code (1, 1)}. */
    public static final Shape SCALAR = new Shape(1, 1);

    public Shape {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "shape: sizes must be at least 1, got (" + rows + ", " + cols + ")");
        }
    }

    /** Shorthand for {@code new Shape(rows, cols)}. */
    public static Shape of(int rows, int cols) {
        return new Shape(rows, cols);
    }

    /** Number of elements, {@code rows · cols}. */
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
        return new Shape(broadcastAxis(op, a, b, 0, a.rows, b.rows), broadcastAxis(op, a, b, 1, a.cols, b.cols));
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
