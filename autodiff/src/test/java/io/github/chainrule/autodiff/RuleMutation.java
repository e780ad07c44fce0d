package io.github.chainrule.autodiff;

import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mutation check's machinery, through the test seam {@link Recorder#ruleHook}: a census of the
 * backward rules the gradient properties reach, and mutants of one rule at a time (its gradient
 * scaled, or replaced by its operation's rule for another input), run against the single-op
 * table rows that use the rule and against the random-program property.
 *
 * <p>A rule is identified by the class of its derivative: the Java compiler gives every lambda
 * expression its own class, so each {@code Rule.of(..., (g, out) -> ...)} in the source is one
 * rule, however many operations it is recorded for.
 */
final class RuleMutation {
    private RuleMutation() {
    }

    /** A rule as the census first met it: where its operation was recorded, for which input, its formula. */
    record Site(Class<?> key, String where, String op, int input, int inputs, String formula) {
        String label() {
            return where + " " + op + " input " + input + " [" + formula + "]";
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
    static Map<Class<?>, Site> census(Runnable workload) {
        Map<Class<?>, Site> sites = new ConcurrentHashMap<>();
        with((op, inputs, rules) -> {
            for (int i = 0; i < rules.length; i++) {
                Class<?> key = rules[i].derivative().getClass();
                if (!sites.containsKey(key)) {
                    int input = i;
                    sites.put(key, new Site(key, caller(), op, input, rules.length, rules[i].formula()));
                }
            }
            return rules;
        }, () -> {
            workload.run();
            return null;
        });
        return sites;
    }

    /** The method that called {@code Recorder.record}, as {@code Class.method:line}. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> {
            List<StackWalker.StackFrame> list = frames.toList();
            for (int k = 0; k + 1 < list.size(); k++) {
                if (list.get(k).getClassName().equals(Recorder.class.getName())
                        && list.get(k).getMethodName().equals("record")) {
                    StackWalker.StackFrame f = list.get(k + 1);
                    String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
                    return cls + "." + f.getMethodName() + ":" + f.getLineNumber();
                }
            }
            return "?";
        });
    }

    /** A hook that breaks the rule {@code key} the given way. */
    static Recorder.RuleHook mutant(Class<?> key, Kind kind) {
        return (op, inputs, rules) -> {
            Rule[] out = rules;
            for (int i = 0; i < rules.length; i++) {
                if (rules[i].derivative().getClass() != key) {
                    continue;
                }
                if (out == rules) {
                    out = rules.clone();
                }
                Derivative right = rules[i].derivative();
                Shape shape = inputs[i].shape();
                Derivative wrong;
                if (kind == Kind.SCALED) {
                    wrong = (g, o) -> right.apply(g, o).mul(2.0);
                } else {
                    if (rules.length < 2) {
                        continue;
                    }
                    Derivative other = rules[(i + 1) % rules.length].derivative();
                    wrong = (g, o) -> {
                        Tensor r = other.apply(g, o);
                        return r.shape().equals(shape) ? r : right.apply(g, o);
                    };
                }
                out[i] = Rule.of(rules[i].formula() + " (mutated: " + kind + ")", wrong);
            }
            return out;
        };
    }

    /** Which table rows record which rules: each row run for a few cases under the census. */
    static Map<OpEntry, Set<Class<?>>> rowCensus(int cases) {
        Map<OpEntry, Set<Class<?>>> byRow = new LinkedHashMap<>();
        for (OpEntry e : AutodiffOps.TABLE) {
            byRow.put(e, census(() -> GradientProperty.firstFailure(e, cases)).keySet());
        }
        return byRow;
    }

    /** Runs one mutant against the rows that use its rule, then against the random programs; each stops at its first failure. */
    static Outcome run(Site site, Kind kind, Map<OpEntry, Set<Class<?>>> rows, int rowCases, int programs) {
        long start = System.nanoTime();
        Optional<String> table = with(mutant(site.key(), kind), () -> {
            for (Map.Entry<OpEntry, Set<Class<?>>> r : rows.entrySet()) {
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
    static List<Site> sorted(Map<Class<?>, Site> sites) {
        List<Site> list = new ArrayList<>(sites.values());
        list.sort(Comparator.comparing(Site::where).thenComparing(Site::input));
        return list;
    }

    private static final Pattern RULE_OF = Pattern.compile("\\bRule\\.of\\(");

    /** How many {@code Rule.of(} calls the autodiff main sources hold: the number of backward rules. */
    static int rulesInSource() {
        Path dir = Path.of("src/main/java/io/github/chainrule/autodiff");
        try (Stream<Path> files = Files.list(dir)) {
            int n = 0;
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = RULE_OF.matcher(Files.readString(f));
                while (m.find()) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the autodiff sources in " + dir.toAbsolutePath(), e);
        }
    }

    /** One line per outcome and the score. */
    static String report(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        Set<Kind> kinds = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            kinds.add(o.kind());
            b.append(String.format("%-7s %-8s %-48s table: %-32s programs: %-6s %5.1f s%n", o.kind(),
                    o.caught() ? "caught" : "SURVIVED", o.site().where() + " " + o.site().op() + " #" + o.site().input(),
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
