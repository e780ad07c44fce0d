package io.github.chainrule.autodiff.testing;

import io.github.chainrule.autodiff.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The operand shapes of one case, derived from the drawn {@link Dims}. */
@FunctionalInterface
public interface ShapeRule {
    List<Shape> shapes(Dims d);

    /** One operand of shape (rows, cols). */
    static ShapeRule unary() {
        return d -> List.of(Shape.of(d.rows(), d.cols()));
    }

    /** {@code n} operands of shape (rows, cols). */
    static ShapeRule same(int n) {
        return d -> Collections.nCopies(n, Shape.of(d.rows(), d.cols()));
    }

    /**
     * {@code n} broadcast-compatible operands: each takes (rows, cols) but may collapse either
     * axis to 1, so (n, 1), (1, m) and (1, 1) operands all occur.
     */
    static ShapeRule broadcast(int n) {
        return d -> {
            List<Shape> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(Shape.of(d.flag(2 * i) ? 1 : d.rows(), d.flag(2 * i + 1) ? 1 : d.cols()));
            }
            return out;
        };
    }

    /** (rows, inner) and (inner, cols). */
    static ShapeRule matmul() {
        return d -> List.of(Shape.of(d.rows(), d.inner()), Shape.of(d.inner(), d.cols()));
    }
}
