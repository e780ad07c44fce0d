package io.github.chainrule.autodiff.testing;

/**
 * The sizes drawn for one case: {@code rows}, {@code cols} and an {@code inner} size (1 to 5
 * each), and {@code flags}, random bits that decide which operands collapse an axis to 1 for
 * broadcasting.
 */
public record Dims(int rows, int cols, int inner, int flags) {
    /** Whether bit {@code i} of the flags is set. */
    public boolean flag(int i) {
        return (flags >> i & 1) == 1;
    }
}
