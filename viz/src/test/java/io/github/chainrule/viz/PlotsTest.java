package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void costCurvesOfSeveralRunsWritePng() throws Exception {
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("lr 0.1", new double[] {0.69, 0.5, 0.4, 0.35});
        runs.put("randn·10", new double[] {Double.POSITIVE_INFINITY, 2.0, 1.0, 0.8});
        Path png = dir.resolve("plots/costs.png");
        Plots.costCurves(runs).every(100).title("learning rates").toPng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
    }

    @Test
    void iterationTicksAreRoundAndFewForAnyLengthAndEvery() {
        // The course's runs: 15 costs every 1000, 31 every 10, 301 and 10001 every iteration.
        assertEquals(new CostPlot.XTicks(2000, 14000), CostPlot.xTicks(15, 1000));
        assertEquals(new CostPlot.XTicks(50, 300), CostPlot.xTicks(31, 10));
        assertEquals(new CostPlot.XTicks(50, 300), CostPlot.xTicks(301, 1));
        assertEquals(new CostPlot.XTicks(2000, 10000), CostPlot.xTicks(10001, 1));
        for (int length : new int[] {4, 5, 7, 10, 11, 15, 16, 31, 51, 100, 101, 301, 1000, 1001, 3001, 10001, 100001}) {
            for (int every : new int[] {1, 2, 3, 7, 10, 25, 100, 1000, 5000, 1 << 30}) {
                CostPlot.XTicks t = CostPlot.xTicks(length, every);
                long last = (long) (length - 1) * every;
                String where = "length " + length + ", every " + every + ": " + t;
                assertTrue(isRound(t.step()), where);
                assertEquals(0, t.max() % t.step(), where);
                assertTrue(t.max() >= last && t.max() - t.step() < last, "axis end is the first tick at or after "
                        + last + "; " + where);
                assertTrue(t.count() >= 4 && t.count() <= 11, where);
            }
        }
    }

    @Test
    void drawnIterationTicksFallOnRoundNumbers() {
        double[] costs = new double[3001];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = 0.7 * Math.exp(-i / 800.0) + 0.05;
        }
        BufferedImage img = Plots.costCurve("run", costs).image();
        int axis = xAxisRow(img);
        List<Integer> ticks = xTickColumns(img, axis);
        assertTrue(ticks.size() >= 4 && ticks.size() <= 11, "tick marks at columns " + ticks);
        // The curve's ends are iterations 0 and 3000; its left end is high, its right end low (the legend is high).
        int first = Integer.MAX_VALUE, last = -1;
        for (int y = 0; y < axis; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (near(img.getRGB(x, y), BLUE)) {
                    first = Math.min(first, x);
                    last = y > axis / 2 ? Math.max(last, x) : last;
                }
            }
        }
        double pixelsPerIteration = (last - first) / 3000.0;
        double spacing = (ticks.get(ticks.size() - 1) - ticks.get(0)) / (ticks.size() - 1.0);
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(spacing, ticks.get(i) - ticks.get(i - 1), 1.5, "tick marks at columns " + ticks);
        }
        double step = spacing / pixelsPerIteration;
        long round = nearestRound(step);
        assertEquals(round, step, 0.03 * round, "iterations between ticks; tick marks at columns " + ticks);
        assertEquals(first, ticks.get(0), 3, "the first tick is iteration 0");
        assertTrue(ticks.get(ticks.size() - 1) >= last - 3, "the last tick is at or after the last iteration");
    }

    @Test
    void identicalRunsBothStayVisible() {
        double[] costs = new double[200];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = 0.7 * Math.exp(-i / 40.0) + 0.05;
        }
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("gd", costs);
        runs.put("momentum", costs.clone());
        BufferedImage img = Plots.costCurves(runs).every(10).image();
        // The left half of the plot: the legend, which shows both colours whatever the curves do, is top right.
        int blue = 0, red = 0;
        for (int y = 0; y < xAxisRow(img); y++) {
            for (int x = 0; x < img.getWidth() / 2; x++) {
                blue += near(img.getRGB(x, y), BLUE) ? 1 : 0;
                red += near(img.getRGB(x, y), RED) ? 1 : 0;
            }
        }
        assertTrue(blue > 100 && red > 100, "pixels of the first run's colour: " + blue + ", of the second's: " + red);
    }

    @Test
    void decisionBoundaryCallsThePredictorOnceOnTheGrid() throws Exception {
        Tensor X = Tensor.of(new double[][] {{-1, -0.5, 0.5, 1}, {0, 1, -1, 0}});
        Tensor Y = Tensor.row(0, 0, 1, 1);
        int[] calls = {0};
        Path png = dir.resolve("b.png");
        Tensor w = Tensor.row(1, 0).requiringGrad(); // a trainable model: no graph may be built over the grid
        Plots.decisionBoundary(g -> {
            calls[0]++;
            assertEquals(2, g.rows());
            assertEquals(50 * 50, g.cols());
            assertFalse(Grad.isEnabled(), "the predictor runs with gradient recording off");
            Tensor p = w.matmul(g).sigmoid(); // class 1 where x₁ > 0
            assertFalse(p.requiresGrad(), "a graph was recorded over the grid");
            return p;
        }, X, Y).grid(50).size(400, 300).toPng(png);
        assertTrue(Grad.isEnabled());
        assertEquals(1, calls[0]);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
    }

    @Test
    void badInputsAreNamed() {
        assertEquals("costCurves: no runs given; pass at least one label → costs entry",
                assertThrows(IllegalArgumentException.class, () -> Plots.costCurves(Map.of())).getMessage());
        assertEquals("costCurves: run \"a\" has no costs",
                assertThrows(IllegalArgumentException.class, () -> Plots.costCurve("a", new double[0])).getMessage());
        assertEquals("CostPlot.every: iterations between costs must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> Plots.costCurve("a", new double[] {1}).every(0)).getMessage());
        assertEquals("CostPlot.unit: the unit must be a non-empty word, got \" \"",
                assertThrows(IllegalArgumentException.class,
                        () -> Plots.costCurve("a", new double[] {1}).unit(" ")).getMessage());
        assertEquals("CostPlot: run \"a\" has no finite cost to draw",
                assertThrows(IllegalArgumentException.class,
                        () -> Plots.costCurve("a", new double[] {Double.NaN}).image()).getMessage());
        Tensor X = Tensor.zeros(3, 4), Y = Tensor.zeros(1, 4);
        assertEquals("decisionBoundary: X must be (2, m) with one example per column, got (3, 4);"
                + " hint: transpose it if examples are rows",
                assertThrows(IllegalArgumentException.class, () -> Plots.decisionBoundary(t -> t, X, Y)).getMessage());
        assertEquals("decisionBoundary: Y must be (1, m) = (1, 3) to match X (2, 3), got (1, 4)",
                assertThrows(IllegalArgumentException.class,
                        () -> Plots.decisionBoundary(t -> t, Tensor.zeros(2, 3), Y)).getMessage());
        assertEquals("decisionBoundary: labels must be 0 or 1, got 2.0 in column 1",
                assertThrows(IllegalArgumentException.class,
                        () -> Plots.decisionBoundary(t -> t, Tensor.zeros(2, 2), Tensor.row(0, 2))).getMessage());
        assertEquals("decisionBoundary: the predictor must map (2, 100) grid points to (1, 100) predictions, got (2, 100)",
                assertThrows(IllegalArgumentException.class, () -> Plots.decisionBoundary(t -> t, Tensor.zeros(2, 2),
                        Tensor.row(0, 1)).grid(10).image()).getMessage());
    }

    /** CostPlot's first two colours. */
    private static final int BLUE = 0x1f77b4, RED = 0xd62728;

    /** Whether {@code rgb} is within 40 of {@code color} in every channel: the colour itself, not a blend with white. */
    private static boolean near(int rgb, int color) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (color >> shift & 0xff)) > 40) {
                return false;
            }
        }
        return true;
    }

    /** Whether a step is 1, 2 or 5 × 10^k. */
    private static boolean isRound(long step) {
        while (step >= 10 && step % 10 == 0) {
            step /= 10;
        }
        return step == 1 || step == 2 || step == 5;
    }

    /** The 1, 2 or 5 × 10^k nearest to {@code x}, in ratio. */
    private static long nearestRound(double x) {
        long best = 1;
        for (long p = 1; p <= 1_000_000_000L; p *= 10) {
            for (long f : new long[] {1, 2, 5}) {
                best = Math.abs(Math.log(f * p / x)) < Math.abs(Math.log(best / x)) ? f * p : best;
            }
        }
        return best;
    }

    /** The x axis line: the lowest row that is mostly one colour other than white. */
    private static int xAxisRow(BufferedImage img) {
        for (int y = img.getHeight() - 2; y >= 0; y--) {
            int color = img.getRGB(img.getWidth() / 2, y), same = 0;
            for (int x = 0; x < img.getWidth(); x++) {
                same += img.getRGB(x, y) == color ? 1 : 0;
            }
            if ((color & 0xffffff) != 0xffffff && same > img.getWidth() / 2) {
                return y;
            }
        }
        throw new AssertionError("no x axis line");
    }

    /** Columns of the x axis' tick marks, which hang from the axis line in its colour. */
    private static List<Integer> xTickColumns(BufferedImage img, int axis) {
        int color = img.getRGB(img.getWidth() / 2, axis);
        List<Integer> ticks = new ArrayList<>();
        for (int x = 0; x < img.getWidth(); x++) {
            if (img.getRGB(x, axis + 1) == color && img.getRGB(x, axis + 2) == color) {
                ticks.add(x);
            }
        }
        return ticks;
    }
}
