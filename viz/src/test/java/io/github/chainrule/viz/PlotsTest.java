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
import java.util.LinkedHashMap;
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
}
