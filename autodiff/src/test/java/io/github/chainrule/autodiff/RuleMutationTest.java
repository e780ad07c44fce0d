package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.RuleMutation.Kind;
import io.github.chainrule.autodiff.RuleMutation.Outcome;
import io.github.chainrule.autodiff.RuleMutation.Site;
import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gradient properties can see every backward rule: each rule deliberately broken must make
 * the suite (the op-table rows that use it, or the random-program property) fail. Every rule is
 * broken twice: its gradient doubled, and, for operations of two or more inputs, replaced by the
 * rule of the operation's next input. The test first takes a census: every {@code Rule.of} in
 * autodiff's sources must be recorded by the op table or the random programs, except the two of
 * {@code MatMul}'s {@code Aᵀ·Bᵀ} form, which no public operation or rule creates.
 *
 * <p>It prints the outcome of each mutant (which table row and whether the programs caught it)
 * and the mutation score; {@code Structure.pad}'s and {@code scatterColumns}' doubled rules are
 * caught by the programs only, which the last test pins down.
 */
class RuleMutationTest {
    /** Table cases per row for the census of which rows use which rules. */
    private static final int CENSUS_CASES = 2;
    /** Random programs for the census. */
    private static final int CENSUS_PROGRAMS = 200;
    /** The formulas of the rules no public operation creates: MatMul's Aᵀ·Bᵀ form (only its own rules call it). */
    static final Set<String> UNREACHABLE = Set.of("∂/∂A = Bᵀ · Gᵀ", "∂/∂B = Gᵀ · Aᵀ");
    /** Swapped mutants equivalent to the original: add's two rules are both {@code g} (after broadcasting). */
    static final Set<String> EQUIVALENT_SWAPS = Set.of("∂/∂a = g", "∂/∂b = g");

    private static Map<OpEntry, Set<Class<?>>> rows;
    private static Map<Class<?>, Site> sites;

    @BeforeAll
    static void census() {
        rows = RuleMutation.rowCensus(CENSUS_CASES);
        sites = RuleMutation.census(() -> {
            AutodiffOps.TABLE.forEach(e -> GradientProperty.firstFailure(e, CENSUS_CASES));
            RandomPrograms.firstFailure(CENSUS_PROGRAMS);
        });
    }

    @Test
    void everyBackwardRuleInTheSourcesIsReachedByTheProperties() {
        List<String> found = RuleMutation.sorted(sites).stream().map(Site::label).collect(Collectors.toList());
        assertEquals(RuleMutation.rulesInSource() - UNREACHABLE.size(), sites.size(),
                "Rule.of calls in src/main (less the unreachable ones) vs rules the op table and random programs"
                        + " record:\n" + String.join("\n", found));
        assertFalse(sites.values().stream().anyMatch(s -> UNREACHABLE.contains(s.formula())),
                "a rule listed as unreachable is reached now: remove it from UNREACHABLE");
    }

    @Test
    void everyRuleBrokenFailsTheSuite() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Site s : RuleMutation.sorted(sites)) {
                if (kind == Kind.SWAPPED && (s.inputs() < 2 || EQUIVALENT_SWAPS.contains(s.formula()))) {
                    continue;
                }
                outcomes.add(RuleMutation.run(s, kind, rows, GradientProperty.CASES, RandomPrograms.CASES));
            }
        }
        String report = RuleMutation.report(outcomes);
        System.out.print(report);
        assertTrue(outcomes.stream().allMatch(Outcome::caught), report);
    }

    @Test
    void padAndScatterColumnsAreSeenOnlyInComposition() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Site s : RuleMutation.sorted(sites)) {
            if (s.where().startsWith("Structure.pad") || s.where().startsWith("Structure.scatterColumns")) {
                outcomes.add(RuleMutation.run(s, Kind.SCALED, rows, GradientProperty.CASES, RandomPrograms.CASES));
            }
        }
        assertEquals(2, outcomes.size(), "pad's and scatterColumns' rules not found");
        for (Outcome o : outcomes) {
            assertTrue(o.programs().isPresent(), "the random programs did not see " + o.site().label());
        }
    }
}
