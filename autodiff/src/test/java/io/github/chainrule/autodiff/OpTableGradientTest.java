package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of the autodiff op table, checked to first (and, where claimed, second) order; every
 * primitive and every composite is exercised by a row.
 */
class OpTableGradientTest {

    @TestFactory
    Stream<DynamicTest> gradients() {
        return GradientProperty.tests(AutodiffOps.TABLE);
    }

    /**
     * Adjoints of public ops that only backward rules create (pad for slices, scatterColumns for
     * selectColumns), from an upstream gradient that a single op's second-order check holds
     * constant: the random programs reach them ({@code RuleMutationTest} checks every derivative is reached).
     */
    static final Set<Primitive> ONLY_IN_COMPOSITION = EnumSet.of(Primitive.PAD, Primitive.SCATTER_COLUMNS);

    /**
     * The table is complete when its rows, run once, record every {@link Primitive} and run every
     * {@link Composite}: the lists come from the types ({@code values()}), so a new primitive or
     * composite without a row fails here. (Rows also name the public methods they exercise in
     * {@code covers}, for readers; nothing is found by reflection.)
     */
    @Test
    void everyPrimitiveAndCompositeHasARow() {
        Set<Primitive> primitives = ConcurrentHashMap.newKeySet();
        Set<Composite> composites = ConcurrentHashMap.newKeySet();
        RuleMutation.with((p, inputs, rules) -> {
            primitives.add(p);
            for (Composite.Call c = Recorder.currentComposite(); c != null; c = c.parent()) {
                composites.add(c.kind());
            }
            return rules;
        }, () -> {
            AutodiffOps.TABLE.forEach(e -> GradientProperty.firstFailure(e, 2));
            return null;
        });
        Set<Primitive> missing = EnumSet.allOf(Primitive.class);
        missing.removeAll(primitives);
        assertEquals(ONLY_IN_COMPOSITION, missing, "primitives no op table row records (beyond the adjoints that"
                + " only compositions reach)");
        Set<Composite> missingComposites = EnumSet.allOf(Composite.class);
        missingComposites.removeAll(composites);
        assertEquals(Set.of(), missingComposites, "composites no op table row runs");
    }

    @Test
    void tableNamesAreUnique() {
        assertEquals(AutodiffOps.TABLE.size(),
                AutodiffOps.TABLE.stream().map(OpEntry::name).collect(Collectors.toSet()).size());
    }

}
