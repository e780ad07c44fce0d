package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.ShapeRule;
import org.junit.jupiter.api.Test;

/** The property harness itself: a wrong gradient must fail, with a report that locates it. */
class GradientPropertyTest {

    @Test
    void aWrongFirstDerivativeFailsNamingTheOpShapesValuesAndRecipe() {
        // x ⊙ detach(x) has derivative 2x, but the graph only sees x
        OpEntry wrong = OpEntry.op("square through detach").shapes(ShapeRule.unary())
                .fn(xs -> xs.get(0).mul(xs.get(0).detach())).build();
        AssertionError e = assertThrows(AssertionError.class, () -> GradientProperty.check(wrong, 20));
        String m = e.getMessage();
        assertTrue(m.startsWith("gradient property failed for op square through detach"), m);
        assertTrue(m.contains("shrunk case: square through detach on shapes [("), m);
        assertTrue(m.contains("with values ["), m);
        assertTrue(m.contains("replay with recipe:"), m);
        // shrinking may settle on a case that fails the second-order check (at x = 0 the first derivatives agree)
        assertTrue(m.contains("derivatives") && m.contains("FAIL x0"), m);
    }

    @Test
    void aWrongSecondDerivativeFailsToo() {
        // tanh'(x) = 1 − tanh², written with a detached output: first derivatives right, second ones wrong
        OpEntry wrong = OpEntry.op("tanh with a constant derivative").shapes(ShapeRule.unary())
                .fn(xs -> {
                    Tensor x = xs.get(0);
                    Tensor t = x.tanh().detach();
                    // value tanh(x), first derivative (1 − t²) by the chain rule through x, no second derivative
                    return t.add(x.sub(x.detach()).mul(t.mul(t).neg().add(1)));
                }).build();
        AssertionError e = assertThrows(AssertionError.class, () -> GradientProperty.check(wrong, 20));
        assertTrue(e.getMessage().contains("second derivatives"), e.getMessage());
    }

    @Test
    void aCorrectRowPassesEveryCase() {
        OpEntry right = OpEntry.op("x³").shapes(ShapeRule.unary()).fn(xs -> xs.get(0).pow(3)).build();
        assertEquals(15, GradientProperty.check(right, 15));
    }
}
