package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;

/**
 * The decision boundary of a 2-D binary classifier over its data; made by
 * {@link Plots#decisionBoundary}. The predictor is called once, on all grid points as the
 * columns of one {@code (2, k)} tensor, with gradient recording off ({@code Grad.disabled()}), so
 * no graph is built over the grid. Immutable: each option returns a new plot.
 */
public final class DecisionBoundaryPlot {
    private static final Color REGION0 = new Color(0xfcd5ce), REGION1 = new Color(0xcfe2f3);
    private static final Color POINT0 = new Color(0xc0392b), POINT1 = new Color(0x1f4e9c);

    private final UnaryOperator<Tensor> predictor;
    private final Tensor x, y;
    private final String title;
    private final int grid;
    private final int width, height;

    DecisionBoundaryPlot(UnaryOperator<Tensor> predictor, Tensor x, Tensor y) {
        this(predictor, x, y, "Decision boundary", 140, 700, 600);
    }

    private DecisionBoundaryPlot(UnaryOperator<Tensor> predictor, Tensor x, Tensor y, String title, int grid,
                                 int width, int height) {
        this.predictor = predictor;
        this.x = x;
        this.y = y;
        this.title = title;
        this.grid = grid;
        this.width = width;
        this.height = height;
    }

    /** The chart's title (default {@code Decision boundary}). */
    public DecisionBoundaryPlot title(String title) {
        return new DecisionBoundaryPlot(predictor, x, y, Checks.notNull(title, "DecisionBoundaryPlot.title", "title"),
                grid, width, height);
    }

    /**
     * Grid points per axis where the classifier is evaluated (default 140).
     *
     * @throws IllegalArgumentException unless in [10, 1000]
     */
    public DecisionBoundaryPlot grid(int points) {
        Checks.argument(points >= 10 && points <= 1000, "DecisionBoundaryPlot.grid: points per axis must be in [10, 1000],"
                + " got %d", points);
        return new DecisionBoundaryPlot(predictor, x, y, title, points, width, height);
    }

    /**
     * Image size in pixels (default 700 × 600).
     *
     * @throws IllegalArgumentException unless both are in [100, 8000]
     */
    public DecisionBoundaryPlot size(int width, int height) {
        Checks.argument(width >= 100 && width <= 8000 && height >= 100 && height <= 8000,
                "DecisionBoundaryPlot.size: width and height must be in [100, 8000], got %d × %d", width, height);
        return new DecisionBoundaryPlot(predictor, x, y, title, grid, width, height);
    }

    /** The chart as an image. */
    public BufferedImage image() {
        Java2d.prepare();
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < x.cols(); j++) {
            x0 = Math.min(x0, x.get(0, j));
            x1 = Math.max(x1, x.get(0, j));
            y0 = Math.min(y0, x.get(1, j));
            y1 = Math.max(y1, x.get(1, j));
        }
        double padX = Math.max(1e-9, (x1 - x0) * 0.08), padY = Math.max(1e-9, (y1 - y0) * 0.08);
        x0 -= padX;
        x1 += padX;
        y0 -= padY;
        y1 += padY;
        int k = grid * grid;
        double[] pts = new double[2 * k];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                int c = i * grid + j;
                pts[c] = x0 + (x1 - x0) * (j + 0.5) / grid;
                pts[k + c] = y0 + (y1 - y0) * (i + 0.5) / grid;
            }
        }
        Tensor p;
        try (Grad.Scope off = Grad.disabled()) { // no graph over the k grid columns
            p = predictor.apply(Tensor.fromRowMajor(2, k, pts));
        }
        Checks.argument(p != null && p.rows() == 1 && p.cols() == k,
                "decisionBoundary: the predictor must map (2, %d) grid points to (1, %d) predictions, got %s",
                k, k, p == null ? "null" : p.shape());

        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("x1").yAxisTitle("x2")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setAntiAlias(false);
        chart.getStyler().setPlotGridLinesVisible(false).setXAxisMin(x0).setXAxisMax(x1).setYAxisMin(y0).setYAxisMax(y1);
        chart.getStyler().setMarkerSize(7);
        // the shaded grid already covers the axis range, which has a margin around the data: fill the plot to its frame
        chart.getStyler().setPlotContentSize(1.0);
        Marker cell = new Cell(Math.ceil((double) width / grid) + 1, Math.ceil((double) height / grid) + 1);
        addRegion(chart, "predicted 0", p, pts, k, false, REGION0, cell);
        addRegion(chart, "predicted 1", p, pts, k, true, REGION1, cell);
        addPoints(chart, "y = 0", 0, POINT0);
        addPoints(chart, "y = 1", 1, POINT1);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void addRegion(XYChart chart, String name, Tensor p, double[] pts, int k, boolean positive, Color color,
                                  Marker cell) {
        int n = 0;
        for (int c = 0; c < k; c++) {
            n += (p.get(0, c) > 0.5) == positive ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        double[] xs = new double[n], ys = new double[n];
        int t = 0;
        for (int c = 0; c < k; c++) {
            if ((p.get(0, c) > 0.5) == positive) {
                xs[t] = pts[c];
                ys[t++] = pts[k + c];
            }
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(cell);
        s.setMarkerColor(color);
    }

    private void addPoints(XYChart chart, String name, double label, Color color) {
        int n = 0;
        for (int j = 0; j < y.cols(); j++) {
            n += y.get(0, j) == label ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        double[] xs = new double[n], ys = new double[n];
        int t = 0;
        for (int j = 0; j < y.cols(); j++) {
            if (y.get(0, j) == label) {
                xs[t] = x.get(0, j);
                ys[t++] = x.get(1, j);
            }
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(new Dot());
        s.setMarkerColor(color);
    }

    /** A filled rectangle of a fixed size in pixels: one grid cell of the background. */
    private static final class Cell extends Marker {
        private final double w, h;

        Cell(double w, double h) {
            this.w = w;
            this.h = h;
        }

        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            g.fill(new Rectangle2D.Double(xOffset - w / 2, yOffset - h / 2, w, h));
        }
    }

    /** A data point: a filled circle with a white rim, so overlapping points stay visible. */
    private static final class Dot extends Marker {
        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            Ellipse2D e = new Ellipse2D.Double(xOffset - markerSize / 2.0, yOffset - markerSize / 2.0, markerSize, markerSize);
            Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.fill(e);
            Color c = g.getColor();
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(0.8f));
            g.draw(e);
            g.setColor(c);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
        }
    }

    /** Writes the chart as PNG to {@code path} (atomically; missing folders are created). */
    public void toPng(Path path) throws IOException {
        Checks.notNull(path, "DecisionBoundaryPlot.toPng", "path");
        AtomicFiles.writePng("DecisionBoundaryPlot.toPng", path, image());
    }
}
