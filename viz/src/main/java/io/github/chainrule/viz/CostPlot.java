package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Cost curves of one or several training runs on one chart; made by {@link Plots#costCurves}.
 * Immutable: each option returns a new plot. Infinite or NaN costs (a cost of {@code inf} at
 * iteration 0, as with the course's {@code randn·10} initialization) are left out of the line
 * and counted in the legend.
 */
public final class CostPlot {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    /** One shape per run, in run order, so that runs stay apart where their colours are hard to tell. */
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.TRAPEZOID};
    /** Markers on each run when there are several: enough to tell runs apart, few enough to keep lines readable. */
    private static final int MARKERS_PER_RUN = 6;
    /** Most tick intervals on the iteration axis: at most 10 ticks, spaced to fit 5-digit labels at the default size. */
    private static final int MAX_TICK_INTERVALS = 9;

    private final Map<String, double[]> runs;
    private final String title;
    private final int every;
    private final boolean logScale;
    private final int width, height;
    private final String unit;

    CostPlot(Map<String, double[]> runs) {
        this(copy(runs), "Cost", 1, false, 800, 500, "iteration");
    }

    private CostPlot(Map<String, double[]> runs, String title, int every, boolean logScale, int width, int height,
            String unit) {
        this.runs = runs;
        this.unit = unit;
        this.title = title;
        this.every = every;
        this.logScale = logScale;
        this.width = width;
        this.height = height;
    }

    private static Map<String, double[]> copy(Map<String, double[]> runs) {
        Map<String, double[]> m = new LinkedHashMap<>();
        runs.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    /** The chart's title (default {@code Cost}). */
    public CostPlot title(String title) {
        return new CostPlot(runs, Checks.notNull(title, "CostPlot.title", "title"), every, logScale, width, height, unit);
    }

    /**
     * Iterations between two recorded costs (default 1; the course records every 100).
     *
     * @throws IllegalArgumentException if {@code every < 1}
     */
    public CostPlot every(int every) {
        Checks.argument(every >= 1, "CostPlot.every: iterations between costs must be at least 1, got %d", every);
        return new CostPlot(runs, title, every, logScale, width, height, unit);
    }

    /** What one step on the x axis counts (default {@code "iteration"}; {@code "epoch"} for per-epoch costs). */
    public CostPlot unit(String unit) {
        Checks.argument(unit != null && !unit.isBlank(), "CostPlot.unit: the unit must be a non-empty word, got %s",
                unit == null ? "null" : "\"" + unit + "\"");
        return new CostPlot(runs, title, every, logScale, width, height, unit);
    }

    /** Whether the cost axis is logarithmic (default linear). */
    public CostPlot logScale(boolean logScale) {
        return new CostPlot(runs, title, every, logScale, width, height, unit);
    }

    /**
     * Image size in pixels (default 800 × 500).
     *
     * @throws IllegalArgumentException unless both are in [100, 8000]
     */
    public CostPlot size(int width, int height) {
        Checks.argument(width >= 100 && width <= 8000 && height >= 100 && height <= 8000,
                "CostPlot.size: width and height must be in [100, 8000], got %d × %d", width, height);
        return new CostPlot(runs, title, every, logScale, width, height, unit);
    }

    /**
     * The chart as an image. The iteration axis runs from 0 to a round end with ticks on round
     * numbers ({@link #xTicks}). With several runs, each stays visible even where curves coincide:
     * earlier runs are drawn wider, so a later run drawn on top leaves a rim of the earlier one's
     * colour, and each run carries its own marker shape at a few points, staggered so that markers
     * of identical curves do not cover each other; the legend shows each run's width and marker.
     */
    public BufferedImage image() {
        Java2d.prepare();
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(every == 1 ? unit : unit + " (cost every " + every + ")").yAxisTitle("cost").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideNE).setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe5e7eb)).setYAxisLogarithmic(logScale);
        int n = runs.size(), longest = 1, k = 0;
        String[] labels = new String[n];
        double[][] xs = new double[n][], ys = new double[n][];
        for (Map.Entry<String, double[]> e : runs.entrySet()) {
            double[] c = e.getValue();
            double[] x = new double[c.length], y = new double[c.length];
            int dropped = 0;
            for (int i = 0; i < c.length; i++) {
                x[i] = (double) i * every;
                boolean bad = !Double.isFinite(c[i]) || logScale && c[i] <= 0;
                y[i] = bad ? Double.NaN : c[i];
                dropped += bad ? 1 : 0;
            }
            Checks.argument(dropped < c.length, "CostPlot: run \"%s\" has no finite%s cost to draw", e.getKey(),
                    logScale ? " positive" : "");
            labels[k] = e.getKey() + (dropped > 0 ? " (" + dropped + " non-finite cost" + (dropped > 1 ? "s" : "")
                    + " not drawn)" : "");
            xs[k] = x;
            ys[k++] = y;
            longest = Math.max(longest, c.length);
        }
        if (n == 1) {
            XYSeries s = chart.addSeries(labels[0], xs[0], ys[0]);
            style(s, PALETTE[0], stroke(2f), xs[0].length <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        } else {
            // All lines first, widest (earliest) at the bottom, then all markers, so no line covers a marker.
            for (int r = 0; r < n; r++) {
                // The name only has to differ from every label; the legend never shows it.
                XYSeries s = chart.addSeries("\u0000line " + r, xs[r], ys[r]);
                style(s, PALETTE[r % PALETTE.length], stroke(lineWidth(r, n)), SeriesMarkers.NONE);
                s.setShowInLegend(false);
            }
            // One stride for all runs, so that runs that coincide for a while never share a marker point.
            int stride = Math.max(n, (longest + MARKERS_PER_RUN - 1) / MARKERS_PER_RUN);
            for (int r = 0; r < n; r++) {
                double[][] m = markerPoints(xs[r], ys[r], stride, r, n);
                XYSeries s = chart.addSeries(labels[r], m[0], m[1]);
                style(s, PALETTE[r % PALETTE.length], stroke(lineWidth(r, n)), MARKERS[r % MARKERS.length]);
            }
        }
        XTicks ticks = xTicks(longest, every);
        // XChart 4.0.3 has no way to set tick values. When the x values and the axis ends are equally
        // spaced, as costs at i · every are, it puts ticks on every n-th data point: 0, 589, 1178 ...
        // A minimum of -0.0 is still 0 on screen but a second value in XChart's set of axis values,
        // so that test fails and XChart takes multiples of a 1/2/5 × 10^k step chosen from the pixel
        // spacing hint instead; the hint is set below so that the step is ticks.step().
        chart.getStyler().setXAxisMin(-0.0).setXAxisMax((double) ticks.max())
                .setxAxisTickLabelsFormattingFunction(ticks::label);
        BitmapEncoder.getBufferedImage(chart); // lays the chart out, which gives the axis length in pixels
        double axisPixels = chart.getScreenXFromChart(ticks.max()) - chart.getScreenXFromChart(0);
        chart.getStyler().setXAxisTickMarkSpacingHint(
                (int) Math.max(1, Math.round(axisPixels * ticks.step() / ticks.max())));
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void style(XYSeries s, Color color, BasicStroke stroke, Marker marker) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(marker);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(stroke);
    }

    /** Round caps and joins, since XChart draws a line one segment at a time. */
    private static BasicStroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /**
     * Line width of run {@code r} of {@code n} (several): 2 px for the last, wider for each earlier
     * one, so that a run drawn on top of an identical earlier one leaves a rim of the earlier
     * one's colour on both sides; at most 8 px.
     */
    private static float lineWidth(int r, int n) {
        return 2f + Math.min(2f, 6f / (n - 1)) * (n - 1 - r);
    }

    /**
     * The points of run {@code r} of {@code n} that carry its marker: one every {@code stride}
     * (at least {@code n}) recorded costs, offset by run so that no two runs share one, which puts
     * about {@value #MARKERS_PER_RUN} on the longest run. Each is followed by a NaN point, which
     * makes XChart leave it unconnected: this series is the run's legend entry (line and marker)
     * while its line is drawn by another series.
     */
    private static double[][] markerPoints(double[] x, double[] y, int stride, int r, int n) {
        List<Integer> at = new ArrayList<>();
        for (int i = (int) (stride * (r + 0.5) / n); i < x.length; i += stride) {
            if (!Double.isNaN(y[i])) {
                at.add(i);
            }
        }
        if (at.isEmpty()) {
            // A run shorter than its offset, or with only non-finite costs at its marker points.
            for (int i = 0; at.isEmpty(); i++) {
                if (!Double.isNaN(y[i])) {
                    at.add(i);
                }
            }
        }
        double[] mx = new double[2 * at.size()], my = new double[2 * at.size()];
        for (int j = 0; j < at.size(); j++) {
            mx[2 * j] = mx[2 * j + 1] = x[at.get(j)];
            my[2 * j] = y[at.get(j)];
            my[2 * j + 1] = Double.NaN;
        }
        return new double[][] {mx, my};
    }

    /**
     * The ticks of the iteration axis: every {@code step} from 0 to {@code max}.
     *
     * @param step a 1, 2 or 5 × 10^k iterations, at least 1
     * @param max  the axis end, a multiple of {@code step}
     */
    record XTicks(long step, long max) {
        /** Number of ticks, 0 and {@code max} included. */
        int count() {
            return (int) (max / step) + 1;
        }

        /**
         * A tick's label: the whole number without grouping, or thousands as {@code 250k} (millions
         * as {@code 300M}) when the axis reaches 100 000 (100 000 000) and every tick is a whole
         * number of them, so that labels stay short and alike along the axis.
         */
        String label(double x) {
            long v = Math.round(x);
            if (v == 0) {
                return "0";
            }
            if (max >= 100_000_000L && step % 1_000_000L == 0) {
                return v / 1_000_000L + "M";
            }
            if (max >= 100_000L && step % 1_000L == 0) {
                return v / 1_000L + "k";
            }
            return Long.toString(v);
        }
    }

    /**
     * Round ticks for costs {@code 0 … length − 1} recorded every {@code every} iterations: the
     * smallest 1, 2 or 5 × 10^k step (at least 1: iterations are whole) that covers the last
     * iteration in at most {@value #MAX_TICK_INTERVALS} steps, and the axis end at the first
     * multiple of it at or after the last iteration. That gives 5 to 10 ticks once the last
     * iteration is 10 or more, fewer only for runs that short.
     */
    static XTicks xTicks(int length, int every) {
        long last = (long) (length - 1) * every;
        for (long power = 1; ; power *= 10) {
            for (long f : new long[] {1, 2, 5}) {
                long step = f * power;
                long intervals = (last + step - 1) / step;
                if (intervals <= MAX_TICK_INTERVALS) {
                    return new XTicks(step, Math.max(1, intervals) * step);
                }
            }
        }
    }

    /** Writes the chart as PNG to {@code path} (atomically; missing folders are created). */
    public void toPng(Path path) throws IOException {
        Checks.notNull(path, "CostPlot.toPng", "path");
        AtomicFiles.writePng("CostPlot.toPng", path, image());
    }
}
