package io.github.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The course's data sets against their references (provenance: docs/course-references.md, "Data sets"): the flower
 * against the notebook's {@code load_planar_dataset()} run with numpy, circles and moons against scikit-learn 1.2.1
 * on numpy 1.24 (Debian's python3-sklearn).
 */
class DatasetsTest {

    @Test
    void flowerEqualsTheNotebooks() {
        // numpy: the notebook's load_planar_dataset(), then X[0,0], X[1,0], X[0,399], X[1,250], X.sum()
        Dataset d = Datasets.flower();
        assertEquals("(2, 400)", d.x().shape().toString());
        assertEquals("(1, 400)", d.y().shape().toString());
        assertEquals(1.204442292254319, d.x().get(0, 0), 0.0);
        assertEquals(3.5761141481288448, d.x().get(1, 0), 0.0);
        assertEquals(0.7307808250007513, d.x().get(0, 399), 0.0);
        assertEquals(-1.795472350771327, d.x().get(1, 250), 1e-15);
        assertEquals(10.087983277441666, d.x().sum().item(), 1e-12);
        assertEquals(200, d.y().sum().item());
    }

    @Test
    void circlesEqualScikitLearn() {
        // np.random.seed(1); X, y = make_circles(n_samples=300, noise=.05)
        // X[0,0], X[0,1], X[299,1], X.sum(), y[:10], y.sum()
        Dataset train = Datasets.circles(1, 300, 0.05);
        assertEquals(-0.07741354010048114, train.x().get(0, 0), 0.0);
        assertEquals(0.8526022642742742, train.x().get(1, 0), 0.0);
        assertEquals(0.9298264080659127, train.x().get(1, 299), 0.0);
        assertEquals(0.10318058999808777, train.x().sum().item(), 1e-12);
        assertEquals(150, train.y().sum().item());
        double[] first = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], train.y().get(0, i));
        }
        // np.random.seed(2); X, y = make_circles(n_samples=100, noise=.05): X[0,0], X[99,1], X.sum()
        Dataset test = Datasets.circles(2, 100, 0.05);
        assertEquals(-0.5242373850862546, test.x().get(0, 0), 0.0);
        assertEquals(-0.9192735912720769, test.x().get(1, 99), 0.0);
        assertEquals(-0.418253070660783, test.x().sum().item(), 1e-12);
    }

    @Test
    void moonsEqualScikitLearn() {
        // np.random.seed(3); X, y = make_moons(n_samples=300, noise=.2): X[0,0], X[0,1], X[299,1], X.sum(), y[:10]
        Dataset moons = Datasets.moons(3, 300, 0.2);
        assertEquals(-0.21687013460912397, moons.x().get(0, 0), 1e-15);
        assertEquals(1.0154493742029873, moons.x().get(1, 0), 1e-15);
        assertEquals(0.3481746137071188, moons.x().get(1, 299), 1e-15);
        assertEquals(229.31214774688254, moons.x().sum().item(), 1e-11);
        double[] first = {0, 1, 1, 1, 0, 0, 1, 1, 0, 1};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], moons.y().get(0, i));
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("Datasets.moons: n_samples must be at least 2, got 1",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Datasets.moons(3, 1, 0.2)).getMessage());
    }
}
