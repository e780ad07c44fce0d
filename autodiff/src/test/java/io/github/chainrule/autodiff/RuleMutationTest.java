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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The gradient properties can see every backward rule: each rule deliberately broken (its
 * gradient doubled, or swapped for the rule of its operation's other input) must make the suite
 * fail. The default run proves that every {@code Rule.of} in autodiff's sources is reached by the
 * op table or the random programs, and breaks a few rules, among them the two that the single-op
 * table cannot see ({@code Structure.pad}'s and {@code scatterColumns}'s, which only run inside
 * backward passes and are linear); the full run breaks every rule:
 * {@code mvn -B -ntp test -pl autodiff -Dtest=RuleMutationTest -Dchainrule.mutation=all}.
 */
class RuleMutationTest {
    /** Table cases per row for the census of which rows use which rules. */
    private static final int CENSUS_CASES = 2;
    /** Random programs for the census. */
    private static final int CENSUS_PROGRAMS = 150;

    private static Map<OpEntry, Set<Class<?>>> rows;
    private static Map<Class<?>, Site> sites;

    @BeforeAll
    static void census() {
        rows = RuleMutation.rowCensus(CENSUS_CASES);
        sites = new HashMap<>();
        rows.values().forEach(keys -> keys.forEach(k -> sites.put(k, null)));
        Map<Class<?>, Site> all = RuleMutation.census(() -> {
            AutodiffOps.TABLE.forEach(e -> GradientProperty.firstFailure(e, CENSUS_CASES));
            RandomPrograms.firstFailure(CENSUS_PROGRAMS);
        });
        sites = all;
    }

    @Test
    void everyBackwardRuleInTheSourcesIsReachedByTheProperties() {
        List<String> found = RuleMutation.sorted(sites).stream().map(Site::label).collect(Collectors.toList());
        assertEquals(RuleMutation.rulesInSource(), sites.size(),
                "Rule.of calls in src/main vs rules the op table and random programs record:\n" + String.join("\n", found));
    }

    @Test
    void breakingPadOrScatterColumnsFailsTheRandomPrograms() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Site s : RuleMutation.sorted(sites)) {
            if (s.where().startsWith("Structure.pad") || s.where().startsWith("Structure.scatterColumns")) {
                outcomes.add(RuleMutation.run(s, Kind.SCALED, rows, GradientProperty.CASES, RandomPrograms.CASES));
            }
        }
        System.out.print(RuleMutation.report(outcomes));
        assertEquals(2, outcomes.size(), "pad's and scatterColumns' rules not found: " + outcomes);
        for (Outcome o : outcomes) {
            assertTrue(o.programs().isPresent(), "the random programs did not see " + o.site().label());
        }
    }

    @Test
    void breakingASampleOfOtherRulesFailsTheSuite() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Site s : RuleMutation.sorted(sites)) {
            boolean sample = s.where().startsWith("Elementwise.mul:") && s.input() == 0
                    || s.where().startsWith("Elementwise.upstreamTimes") && s.input() == 1
                    || s.where().startsWith("Reductions.maxAxis") || s.where().startsWith("Fused.softmaxCrossEntropy");
            if (sample) {
                outcomes.add(RuleMutation.run(s, Kind.SCALED, rows, GradientProperty.CASES, RandomPrograms.CASES));
                outcomes.add(RuleMutation.run(s, Kind.SWAPPED, rows, GradientProperty.CASES, RandomPrograms.CASES));
            }
        }
        System.out.print(RuleMutation.report(outcomes));
        outcomes.removeIf(o -> o.kind() == Kind.SWAPPED && o.site().where().startsWith("Reductions.maxAxis"));
        assertTrue(outcomes.stream().allMatch(Outcome::caught), RuleMutation.report(outcomes));
    }

    @Test
    @EnabledIfSystemProperty(named = "chainrule.mutation", matches = "all")
    void everyRuleBrokenFailsTheSuite() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Site s : RuleMutation.sorted(sites)) {
                outcomes.add(RuleMutation.run(s, kind, rows, GradientProperty.CASES, RandomPrograms.CASES));
            }
        }
        String report = RuleMutation.report(outcomes);
        System.out.print(report);
        assertTrue(outcomes.stream().filter(o -> o.kind() == Kind.SCALED).allMatch(Outcome::caught), report);
    }
}
