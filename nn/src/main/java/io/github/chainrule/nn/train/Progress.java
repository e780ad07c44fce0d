package io.github.chainrule.nn.train;

import io.github.chainrule.autodiff.Checks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

/**
 * Reports training progress. The trainer calls {@link #start}, then {@link #update} after every
 * iteration, {@link #message} for lines of its own (the course's "Cost after iteration i"), and
 * finally {@link #close}. An instance may be reused for several runs.
 *
 * <p>Built-in reporters:
 * <ul>
 *   <li>{@link #auto(PrintStream)}: {@link #bar} when the stream is {@code System.out} or
 *       {@code System.err} and the JVM has a console ({@code System.console() != null}),
 *       otherwise {@link #lines};</li>
 *   <li>{@link #bar(PrintStream)}: a bar redrawn in place like tqdm (progressbar library, ~10
 *       redraws per second): percentage, bar, iterations done/total, elapsed and remaining
 *       time, rate in it/s, epoch and current cost;</li>
 *   <li>{@link #lines(PrintStream, int)}: for logs, CI and pipes: one plain line each time
 *       another {@code 1/count} of the iterations is done, and a last one at the end, with the
 *       same fields as the bar, never a carriage return or an ANSI escape:
 *       <pre> 40%|####      | 120/300 [00:01&lt;00:01, 101.3it/s, epoch=4/10, cost=0.4123]</pre></li>
 *   <li>{@link #none(PrintStream)}: no progress, but messages are still printed.</li>
 * </ul>
 */
public interface Progress extends AutoCloseable {

    /** A run of {@code epochs} epochs and {@code totalIterations} iterations begins. */
    void start(int epochs, long totalIterations);

    /**
     * {@code done} iterations are complete (1 after the first), the last one in epoch
     * {@code epoch} (0-based) with cost {@code cost}.
     */
    void update(int epoch, long done, double cost);

    /** Prints a whole line without garbling the progress display. */
    void message(String line);

    /** The run ended (normally or not): finish the display with a line break. */
    @Override
    void close();

    /** {@link #bar} on an interactive console, {@link #lines} with 10 lines otherwise. */
    static Progress auto(PrintStream out) {
        Checks.notNull(out, "Progress.auto", "out");
        boolean terminal = System.console() != null && (out == System.out || out == System.err);
        return terminal ? bar(out) : lines(out, 10);
    }

    /** A tqdm-like bar redrawn in place with carriage returns; for terminals only. */
    static Progress bar(PrintStream out) {
        return new Bar(Checks.notNull(out, "Progress.bar", "out"));
    }

    /**
     * About {@code count} plain lines per run (at each {@code 1/count} of the iterations, and at
     * the end), with no {@code \r} and no escape codes.
     *
     * @throws IllegalArgumentException if {@code count < 1}
     */
    static Progress lines(PrintStream out, int count) {
        Checks.argument(count >= 1, "Progress.lines: count must be at least 1, got %d", count);
        return new Lines(Checks.notNull(out, "Progress.lines", "out"), count);
    }

    /** No progress display; {@link #message} lines still go to {@code out}. */
    static Progress none(PrintStream out) {
        Checks.notNull(out, "Progress.none", "out");
        return new Progress() {
            @Override
            public void start(int epochs, long totalIterations) {
            }

            @Override
            public void update(int epoch, long done, double cost) {
            }

            @Override
            public void message(String line) {
                out.println(line);
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    /** {@code mm:ss}, or {@code h:mm:ss} from one hour on, as tqdm prints durations. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /**
     * One progress line in tqdm's format:
     * {@code  40%|####      | 120/300 [00:01<00:01, 101.3it/s, epoch=4/10, cost=0.4123]};
     * with {@code blocks} the bar uses Unicode eighth blocks instead of {@code #}.
     */
    static String line(int epoch, int epochs, long done, long total, double cost, long elapsedNanos, int width,
            boolean blocks) {
        double fraction = total > 0 ? Math.min(1, (double) done / total) : 0;
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? duration(Duration.ofNanos((long) ((total - done) / rate * 1e9))) : "?";
        String bar;
        if (blocks) {
            int eighths = (int) Math.floor(fraction * width * 8);
            String partial = eighths % 8 == 0 ? "" : String.valueOf("\u258f\u258e\u258d\u258c\u258b\u258a\u2589"
                    .charAt(eighths % 8 - 1));
            bar = "\u2588".repeat(eighths / 8) + partial;
        } else {
            bar = "#".repeat((int) Math.round(fraction * width));
        }
        return String.format(Locale.ROOT, "%3d%%|%s%s| %d/%d [%s<%s, %.1fit/s, epoch=%d/%d, cost=%.4g]",
                (int) Math.floor(fraction * 100), bar, " ".repeat(Math.max(0, width - bar.length())), done, total,
                duration(Duration.ofNanos(elapsedNanos)), eta, rate, epoch + 1, epochs, cost);
    }

    /** The plain-line reporter. */
    final class Lines implements Progress {
        private static final int WIDTH = 10;
        private final PrintStream out;
        private final int count;
        private int epochs;
        private long total;
        private long startNanos;
        private int linesDue;
        private long lastPrinted;
        private long lastDone;
        private int lastEpoch;
        private double lastCost = Double.NaN;

        Lines(PrintStream out, int count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void start(int epochs, long totalIterations) {
            this.epochs = epochs;
            this.total = Math.max(1, totalIterations);
            this.startNanos = System.nanoTime();
            this.linesDue = 0;
            this.lastPrinted = 0;
            this.lastDone = 0;
        }

        private long threshold(int k) {
            // ceil(k·total / count): the iteration at which the k-th line is due
            return Math.max(1, (k * total + count - 1) / count);
        }

        @Override
        public void update(int epoch, long done, double cost) {
            lastDone = done;
            lastEpoch = epoch;
            lastCost = cost;
            if (done >= threshold(linesDue + 1)) {
                print(epoch, done, cost);
                while (threshold(linesDue + 1) <= done) {
                    linesDue++;
                }
            }
        }

        private void print(int epoch, long done, double cost) {
            out.println(render(epoch, done, cost, System.nanoTime() - startNanos));
            lastPrinted = done;
        }

        String render(int epoch, long done, double cost, long elapsedNanos) {
            return line(epoch, epochs, done, total, cost, elapsedNanos, WIDTH, false);
        }

        @Override
        public void message(String line) {
            out.println(line);
        }

        @Override
        public void close() {
            // the last line shows where the run ended, also when it stopped early
            if (lastDone > 0 && lastPrinted != lastDone) {
                print(lastEpoch, lastDone, lastCost);
            }
            out.flush();
        }
    }

    /** The terminal bar: the progressbar library redraws it, with the same fields as {@link Lines}. */
    final class Bar implements Progress {
        private final PrintStream out;
        private ProgressBar bar;
        private int epochs;
        private volatile int epoch;
        private volatile double cost = Double.NaN;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void start(int epochs, long totalIterations) {
            close();
            this.epochs = epochs;
            this.epoch = 0;
            this.cost = Double.NaN;
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalIterations)
                    .setUpdateIntervalMillis(100).setRenderer(this::render)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }

        private String render(ProgressState state, int maxLength) {
            long nanos = state.getTotalElapsed().toNanos();
            String probe = line(epoch, epochs, state.getCurrent(), state.getMax(), cost, nanos, 0, true);
            // like tqdm, the bar takes the room the text leaves on the terminal line
            int width = Math.max(5, Math.min(40, maxLength - probe.length() - 1));
            return line(epoch, epochs, state.getCurrent(), state.getMax(), cost, nanos, width, true);
        }

        @Override
        public void update(int epoch, long done, double cost) {
            if (bar != null) {
                this.epoch = epoch;
                this.cost = cost;
                bar.stepTo(done);
            }
        }

        @Override
        public void message(String line) {
            // erase the bar's line, print ours; the bar redraws itself below on its next tick
            out.print("\r\033[2K" + line + System.lineSeparator());
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            out.flush();
        }
    }
}
