package io.github.chainrule.autodiff;

import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The mutation check's machinery, through the test seam {@link Recorder#ruleHook}: a census of the
 * backward rules the gradient properties reach, and mutants of one rule at a time (its gradient
 * scaled, or replaced by its operation's rule for another input), run against the single-op
 * table rows that use the rule and against the random-program property.
 *
 * <p>A rule is one derivative of one {@link Primitive} ({@link RuleId}): the list of all of them
 * is {@link #allRules()}, read from {@code Primitive.values()}, not from the sources.
 */
final class RuleMutation {
    private RuleMutation() {
    }

    /** One derivative: input {@code index} of {@code primitive} (a variadic primitive has one for all its inputs). */
    record RuleId(Primitive primitive, int index) {
        @Override
        public String toString() {
            return primitive + " #" + index;
        }
    }

    /** A rule as the census first met it: where its operation was recorded, how many inputs the call had, its formula. */
    record Site(RuleId key, String where, int inputs, String formula) {
        String op() {
            return key.primitive().name();
        }

        int input() {
            return key.index();
        }

        String label() {
            return where + " " + key + " [" + formula + "]";
        }
    }
    /** How a rule is broken. */
    enum Kind {
        /** The rule's gradient times 2. */
        SCALED,
        /** The rule of the next input of the same operation, where its result has this input's shape. */
        SWAPPED
    }

    /** The outcome of one mutant: the first table row and the first program that failed with it, if any. */
    record Outcome(Site site, Kind kind, Optional<String> table, Optional<String> programs, double seconds) {
        boolean caught() {
            return table.isPresent() || programs.isPresent();
        }
    }

    /** Runs {@code body} with {@code hook} installed, and always removes it. */
    static <T> T with(Recorder.RuleHook hook, Supplier<T> body) {
        Recorder.ruleHook = hook;
        try {
            return body.get();
        } finally {
            Recorder.ruleHook = null;
        }
    }

    /** The rules recorded while {@code workload} runs. */
    static Map<RuleId, Site> census(Runnable workload) {
        Map<RuleId, Site> sites = new ConcurrentHashMap<>();
        with((primitive, inputs, rules) -> {
            for (int i = 0; i < rules.length; i++) {
                RuleId key = new RuleId(primitive, i);
                if (!sites.containsKey(key)) {
                    sites.put(key, new Site(key, caller(), inputs.length,
                            "∂/∂" + rules[i].input() + " = " + rules[i].formula().plain()));
                }
            }
            return rules;
        }, () -> {
            workload.run();
            return null;
        });
        return sites;
    }

    /** The method that called {@code Recorder} to record an operation, as {@code Class.method:line}. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> {
            List<StackWalker.StackFrame> list = frames.toList();
            for (int k = 0; k + 1 < list.size(); k++) {
                if (list.get(k).getClassName().equals(Recorder.class.getName())
                        && list.get(k).getMethodName().startsWith("record")
                        && !list.get(k + 1).getClassName().equals(Recorder.class.getName())) {
                    StackWalker.StackFrame f = list.get(k + 1);
                    String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
                    return cls + "." + f.getMethodName() + ":" + f.getLineNumber();
                }
            }
            return "?";
        });
    }

    /** A hook that breaks the rule {@code key} the given way. */
    static Recorder.RuleHook mutant(RuleId key, Kind kind) {
        return (primitive, inputs, rules) -> {
            if (primitive != key.primitive() || kind == Kind.SWAPPED && inputs.length < 2) {
                return rules;
            }
            Rule[] original = rules, out = rules.clone();
            int k = key.index();
            Derivative right = rules[k].derivative();
            Derivative wrong;
            if (kind == Kind.SCALED) {
                wrong = (g, o, n, i) -> right.apply(g, o, n, i).mul(2.0);
            } else {
                // the next input's rule, applied as for that input, where its result has this input's shape
                wrong = (g, o, n, i) -> {
                    int j = (i + 1) % n.inputs.length;
                    Tensor r = original[Math.min(j, original.length - 1)].derivative().apply(g, o, n, j);
                    return r.shape().equals(n.inputs[i].shape()) ? r : right.apply(g, o, n, i);
                };
            }
            out[k] = Rule.of(rules[k].input(), rules[k].formula(), wrong);
            return out;
        };
    }

    /** Which table rows record which rules: each row run for a few cases under the census. */
    static Map<OpEntry, Set<RuleId>> rowCensus(int cases) {
        Map<OpEntry, Set<RuleId>> byRow = new LinkedHashMap<>();
        for (OpEntry e : AutodiffOps.TABLE) {
            byRow.put(e, census(() -> GradientProperty.firstFailure(e, cases)).keySet());
        }
        return byRow;
    }

    /** Runs one mutant against the rows that use its rule, then against the random programs; each stops at its first failure. */
    static Outcome run(Site site, Kind kind, Map<OpEntry, Set<RuleId>> rows, int rowCases, int programs) {
        long start = System.nanoTime();
        Optional<String> table = with(mutant(site.key(), kind), () -> {
            for (Map.Entry<OpEntry, Set<RuleId>> r : rows.entrySet()) {
                if (r.getValue().contains(site.key())) {
                    Optional<String> f = GradientProperty.firstFailure(r.getKey(), rowCases);
                    if (f.isPresent()) {
                        return Optional.of(r.getKey().name());
                    }
                }
            }
            return Optional.empty();
        });
        Optional<String> prog = with(mutant(site.key(), kind), () -> RandomPrograms.firstFailure(programs));
        return new Outcome(site, kind, table, prog, (System.nanoTime() - start) / 1e9);
    }

    /** The sites sorted by their label, for stable reports. */
    static List<Site> sorted(Map<RuleId, Site> sites) {
        List<Site> list = new ArrayList<>(sites.values());
        list.sort(Comparator.comparing(Site::where).thenComparing(Site::input));
        return list;
    }

    /** Every derivative of every primitive: what the census must reach. */
    static Set<RuleId> allRules() {
        Set<RuleId> all = new LinkedHashSet<>();
        for (Primitive p : Primitive.values()) {
            for (int k = 0; k < p.derivativeCount(); k++) {
                all.add(new RuleId(p, k));
            }
        }
        return all;
    }

    /** One line per outcome and the score. */
    static String report(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        Set<Kind> kinds = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            kinds.add(o.kind());
            b.append(String.format("%-7s %-8s %-56s table: %-32s programs: %-6s %5.1f s%n", o.kind(),
                    o.caught() ? "caught" : "SURVIVED", o.site().where() + " " + o.site().key(),
                    o.table().orElse("-"), o.programs().isPresent() ? "fail" : "pass", o.seconds()));
        }
        for (Kind k : kinds) {
            long total = outcomes.stream().filter(o -> o.kind() == k).count();
            long caught = outcomes.stream().filter(o -> o.kind() == k && o.caught()).count();
            long byTable = outcomes.stream().filter(o -> o.kind() == k && o.table().isPresent()).count();
            long byPrograms = outcomes.stream().filter(o -> o.kind() == k && o.programs().isPresent()).count();
            b.append(String.format("mutation score (%s): %d of %d rules caught (single-op table rows: %d, random"
                    + " programs: %d)%n", k, caught, total, byTable, byPrograms));
        }
        return b.toString();
    }
}
