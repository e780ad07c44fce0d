package io.github.chainrule.examples.course;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the course's planar-data results (course 1, week 3, "Planar data classification with one hidden
 * layer"): the published costs (6 decimals) and accuracy, and the hidden-layer sweep (published, and recomputed with
 * numpy 2.4). Provenance:
 * <a href="../../../../../../../../../docs/course-references.md#planar-data-one-hidden-layer-course-1-week-3-planar-data-classification-with-one-hidden-layer">
 * docs/course-references.md, "Planar data, one hidden layer"</a>. The data set itself is checked in nn's
 * {@code DatasetsTest}.
 */
class PlanarShallowNetTest {

    @Test
    void oneHiddenLayerReproducesThePublishedCostsAndAccuracy() {
        Dataset d = Datasets.flower();
        PlanarShallowNet net = new PlanarShallowNet(4);
        List<Double> costs = net.train(d.x(), d.y(), 10_000, 1.2);
        // published: cost 0.693048 at 0, 0.288083 at 1000, 0.254385 at 2000, 0.233864 at 3000, accuracy 90%
        assertEquals(0.693048, costs.get(0), 1e-6);
        assertEquals(0.288083, costs.get(1000), 1e-6);
        assertEquals(0.254385, costs.get(2000), 1e-6);
        assertEquals(0.233864, costs.get(3000), 1e-6);
        assertEquals(0.90, net.accuracy(d.x(), d.y()), 0.01);
    }

    @Test
    void hiddenLayerSizeSweepReproducesTheAccuracies() {
        // published, 5000 iterations: 1, 2, 3, 4, 5, 20, 50 hidden units give 67.5, 67.25, 90.75, 90.5, 91.25, 90.0, 90.25 %.
        // The same loop in numpy 2.4 today gives 90.5 for 20 units (two examples away from the published 90.0, a
        // rounding drift across numpy versions over 5000 steps at learning rate 1.2). Summation order differs between
        // chainrule and numpy's BLAS too, so the wide layers (20, 50 units), whose training is most sensitive, are held
        // to two examples (0.5 %) and the others to one.
        int[] sizes = {1, 2, 3, 4, 5, 20, 50};
        double[] numpyToday = {67.5, 67.25, 90.75, 90.5, 91.25, 90.5, 90.25};
        Dataset d = Datasets.flower();
        for (int i = 0; i < sizes.length; i++) {
            PlanarShallowNet net = new PlanarShallowNet(sizes[i]);
            net.train(d.x(), d.y(), 5000, 1.2);
            double examples = sizes[i] >= 20 ? 2 : 1;
            assertEquals(numpyToday[i], 100 * net.accuracy(d.x(), d.y()), examples * 0.25 + 1e-9, "hidden units: " + sizes[i]);
        }
    }
}
