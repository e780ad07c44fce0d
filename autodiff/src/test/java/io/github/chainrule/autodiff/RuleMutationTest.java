package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * rule of the operation's next input. The test first takes a census: every derivative of every
 * {@link Primitive} ({@code Primitive.values()}) must be recorded by the op table or the random
 * programs.
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
    /** Swapped mutants equivalent to the original: add's two rules are both {@code g} (after broadcasting). */
    static final Set<RuleMutation.RuleId> EQUIVALENT_SWAPS = Set.of(new RuleMutation.RuleId(Primitive.ADD, 0),
            new RuleMutation.RuleId(Primitive.ADD, 1));

    private static Map<OpEntry, Set<RuleMutation.RuleId>> rows;
    private static Map<RuleMutation.RuleId, Site> sites;

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
        Set<RuleMutation.RuleId> missing = new java.util.LinkedHashSet<>(RuleMutation.allRules());
        missing.removeAll(sites.keySet());
        assertEquals(Set.of(), missing, "derivatives of Primitive.values() that the op table and random programs"
                + " never record; recorded:\n" + String.join("\n", found));
        assertEquals(RuleMutation.allRules(), sites.keySet());
    }

    @Test
    void everyRuleBrokenFailsTheSuite() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Site s : RuleMutation.sorted(sites)) {
                if (kind == Kind.SWAPPED && (s.inputs() < 2 || EQUIVALENT_SWAPS.contains(s.key()))) {
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
