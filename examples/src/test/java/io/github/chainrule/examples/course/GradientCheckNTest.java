package io.github.chainrule.examples.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.GradCheck;
import io.github.chainrule.autodiff.GradCheckReport;
import org.junit.jupiter.api.Test;

/**
 * The course's N-dimensional gradient check (course 2, week 1, "Gradient Checking"): the published differences
 * 0.2850931567761623 (planted bugs) and 1.1890913023330276e-07 (fixed). Provenance:
 * <a href="../../../../../../../../../docs/course-references.md#gradient-checking-course-2-week-1-gradient-checking">
 * docs/course-references.md, "Gradient checking"</a>.
 */
class GradientCheckNTest {
    private final GradientCheckN n = new GradientCheckN();

    @Test
    void plantedBugsAreFoundWithThePublishedDifference() {
        // published: 0.2850931567761623 with dW2 doubled and db1 multiplied by 4
        GradCheckReport r = n.check(true);
        assertFalse(r.passed());
        assertEquals(0.2850931567761623, r.difference(), 1e-9);
        assertFalse(r.inputs().get(1).passed(), "b1");
        assertFalse(r.inputs().get(2).passed(), "W2");
    }

    @Test
    void correctBackwardPassesWithThePublishedDifference() {
        // published: 1.1890913023330276e-07, below the notebook's 2e-7 threshold; the value is finite-difference
        // rounding noise, so it matches to the digits the noise shares, not bit for bit
        GradCheckReport r = n.check(false);
        assertTrue(r.passed(), r.toString());
        assertEquals(1.1890913023330276e-07, r.difference(), 2e-10);
        assertTrue(r.difference() < 2e-7);
    }

    @Test
    void chainrulesOwnBackwardAgreesWithTheHandWrittenOne() {
        GradCheckReport r = GradCheck.defaults().epsilon(1e-7).tolerance(1e-7, 1e-5)
                .check(n::cost, n.parameters.toArray(new io.github.chainrule.autodiff.Tensor[0]));
        assertTrue(r.passed(), r.toString());
        assertEquals(1.1890913023330276e-07, r.difference(), 2e-10);
    }
}
