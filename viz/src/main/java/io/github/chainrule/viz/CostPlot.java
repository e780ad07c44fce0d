package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
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

    /** The chart as an image. */
    public BufferedImage image() {
        Java2d.prepare();
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(every == 1 ? unit : unit + " (cost every " + every + ")").yAxisTitle("cost").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideNE).setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe5e7eb)).setYAxisLogarithmic(logScale);
        int k = 0;
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
            String label = e.getKey() + (dropped > 0 ? " (" + dropped + " non-finite cost" + (dropped > 1 ? "s" : "")
                    + " not drawn)" : "");
            XYSeries s = chart.addSeries(label, x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(c.length <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            Color color = PALETTE[k++ % PALETTE.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setLineStyle(new BasicStroke(2f));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes the chart as PNG to {@code path} (atomically; missing folders are created). */
    public void toPng(Path path) throws IOException {
        Checks.notNull(path, "CostPlot.toPng", "path");
        AtomicFiles.writePng("CostPlot.toPng", path, image());
    }
}
