package io.github.chainrule.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The one table of a benchmark run: each performance target beside the figure this run measured
 * for it, and whether it is met. Reads what {@link Benchmark} and {@link GraphBench} recorded
 * ({@link BenchResults}); a figure that was not measured (a reference whose Python package is
 * missing, say) is shown as such, never guessed.
 *
 * <pre>mvn -q -Pbench package -DskipTests</pre>
 */
public final class BenchSummary {
    private final Map<String, String> r;
    private final List<String[]> rows = new ArrayList<>();

    private BenchSummary(Map<String, String> results) {
        this.r = results;
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : System.getProperty("bench.results", "target/bench-results.txt"));
        BenchSummary s = new BenchSummary(BenchResults.read(file));
        s.build();
        s.print();
    }

    private Double num(String key) {
        String v = r.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code a / b} when both were measured. */
    private Double ratio(String a, String b) {
        Double x = num(a), y = num(b);
        return x == null || y == null || y == 0 ? null : x / y;
    }

    private void build() {
        String fast = r.getOrDefault("mlp.fastBackend", "");
        // 1. MLP on the fast path against PyTorch, and the pure-JVM path against numpy
        List<Double> torch = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        for (int batch : new int[] {128, 512}) {
            Double q = fast.isEmpty() ? null : ratio("mlp.chainrule." + fast + "." + batch, "mlp.torch." + batch);
            torch.add(q);
            t.append(String.format(Locale.ROOT, "%sbatch %d: %s", t.length() == 0 ? "" : ", ", batch, times(q)));
        }
        row("MLP training step at least 1.0× PyTorch (f64, default threads), batch 128 and 512, on the fast path"
                + (fast.isEmpty() ? "" : " (" + fast + ")"), t.toString(), all(torch, q -> q >= 1.0));
        Double pure = ratio("mlp.chainrule.java.128", "mlp.numpy.128");
        row("pure-JVM path at least 0.5× numpy at batch 128", times(pure), all(Collections.singletonList(pure), q -> q >= 0.5));
        // 2. graph overhead against the hand-written step on the same kernel
        for (String backend : fast.isEmpty() ? List.of("java") : List.of("java", fast)) {
            List<Double> o = new ArrayList<>();
            StringBuilder s = new StringBuilder();
            for (int batch : new int[] {32, 128, 512}) {
                Double q = num("overhead." + backend + "." + batch); // chainrule's step time over the hand-written one's
                o.add(q);
                s.append(String.format(Locale.ROOT, "%sbatch %d: %s", s.length() == 0 ? "" : ", ", batch, times(q)));
            }
            row("MLP step at most 1.10× the hand-written step on the same kernel (" + backend + ")", s.toString(),
                    all(o, q -> q <= 1.10));
        }
        // 3. the course's planar network
        Double pn = ratio("planar.chainrule", "planar.numpy"), pt = ratio("planar.chainrule", "planar.torch");
        row("planar network at least 1.0× numpy's iterations/s", speed(pn, "planar.chainrule", "planar.numpy"),
                all(Collections.singletonList(pn), q -> q >= 1.0));
        row("planar network at least 3× PyTorch's iterations/s", speed(pt, "planar.chainrule", "planar.torch"),
                all(Collections.singletonList(pt), q -> q >= 3.0));
        // 4. scalar graphs
        Double nodes = num("scalar.nodesPerSecond");
        row("scalar graph at least 30M nodes/s, build + backward", nodes == null ? "not measured"
                : String.format(Locale.ROOT, "%.1fM nodes/s", nodes / 1e6), all(Collections.singletonList(nodes), q -> q >= 30e6));
        Double chain = num("chain.seconds");
        row("1 000 000-op chain under 1 s in the default heap", chain == null ? "not measured"
                : String.format(Locale.ROOT, "%.2f s (%.0f MB allocated)", chain, num("chain.mb")), all(Collections.singletonList(chain), q -> q < 1.0));
        // 5. memory
        List<Double> alloc = new ArrayList<>();
        StringBuilder a = new StringBuilder();
        for (int batch : new int[] {32, 128, 512}) {
            Double q = num("alloc.ratio." + batch);
            alloc.add(q);
            a.append(String.format(Locale.ROOT, "%sbatch %d: %s", a.length() == 0 ? "" : ", ", batch,
                    q == null ? "not measured" : String.format(Locale.ROOT, "%.3f×", q))); // small: 0.00× would hide it
        }
        row("bytes allocated per MLP step at most 1.5× what it must hold", a.toString(), all(alloc, q -> q <= 1.5));
    }

    private String speed(Double q, String ours, String ref) {
        return q == null ? "not measured (" + r.getOrDefault(ref + ".skipped", "reference missing") + ")"
                : String.format(Locale.ROOT, "%.2f× (%.0f against %.0f it/s)", q, num(ours), num(ref));
    }

    private static String times(Double q) {
        return q == null ? "not measured" : String.format(Locale.ROOT, "%.2f×", q);
    }

    /** "yes", "no", or "not measured" when a figure is missing. */
    private static String all(List<Double> values, DoublePredicate ok) {
        boolean met = true;
        for (Double v : values) {
            if (v == null) {
                return "not measured";
            }
            met &= ok.test(v);
        }
        return met ? "yes" : "no";
    }

    private void row(String target, String measured, String met) {
        rows.add(new String[] {target, measured, met});
    }

    private void print() {
        System.out.println();
        System.out.println("targets (ratios of figures measured in this run; see above for each)");
        int w0 = 0, w1 = 0;
        for (String[] row : rows) {
            w0 = Math.max(w0, row[0].length());
            w1 = Math.max(w1, row[1].length());
        }
        String fmt = "%-" + w0 + "s   %-" + w1 + "s   %s%n";
        System.out.printf(Locale.ROOT, fmt, "target", "this run", "met");
        for (String[] row : rows) {
            System.out.printf(Locale.ROOT, fmt, (Object[]) row);
        }
    }
}
