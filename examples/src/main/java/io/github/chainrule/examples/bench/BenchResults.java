package io.github.chainrule.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures a benchmark run hands to {@link BenchSummary}: one {@code key=value} line per
 * figure, appended to the file named by {@code -Dbench.results} (nothing is written without it).
 * The benchmarks run in separate JVMs (the graph benchmark needs a fresh default heap), so a file
 * is how their figures meet in one table.
 */
final class BenchResults {
    private BenchResults() {
    }

    /** Empties the results file when {@code -Dbench.resetResults=true} (the first benchmark of a run). */
    static void startRun() {
        String file = System.getProperty("bench.results");
        if (file != null && !file.isEmpty() && Boolean.getBoolean("bench.resetResults")) {
            try {
                Files.deleteIfExists(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("bench: cannot reset " + file, e);
            }
        }
    }

    /** Records one figure, e.g. {@code put("planar.numpy", 29000)}. */
    static void put(String key, double value) {
        append(key, String.format(Locale.ROOT, "%.6g", value));
    }

    /** Records a text, e.g. why a reference was skipped. */
    static void note(String key, String text) {
        append(key, text.replace('\n', ' '));
    }

    private static void append(String key, String value) {
        String file = System.getProperty("bench.results");
        if (file == null || file.isEmpty()) {
            return;
        }
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, key + "=" + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot append to " + file, e);
        }
    }

    /** Reads a results file; a key recorded twice keeps its last value. */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return m;
    }
}
