package io.github.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** X (1, m) holding each column's own index, Y = 2X, so batches reveal the permutation. */
    static Dataset indexed(int m) {
        double[] idx = new double[m], twice = new double[m];
        for (int j = 0; j < m; j++) {
            idx[j] = j;
            twice[j] = 2 * j;
        }
        return new Dataset(Tensor.row(idx), Tensor.row(twice));
    }

    static double[] firstColumns(Dataset d, int n) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = d.x().get(0, j);
            assertEquals(2 * out[j], d.y().get(0, j), "Y must be permuted with X");
        }
        return out;
    }

    @Test
    void courseMiniBatchesAre64And64And20InNumpysPermutation() {
        List<Dataset> batches = indexed(148).miniBatches(64, 11);
        assertEquals(List.of(64, 64, 20), batches.stream().map(Dataset::size).toList());
        // python: np.random.seed(11); p = np.random.permutation(148); p[0:8], p[64:72], p[128:136]
        assertArrayEquals(new double[] {110, 41, 131, 102, 137, 9, 30, 15}, firstColumns(batches.get(0), 8));
        assertArrayEquals(new double[] {31, 101, 39, 86, 85, 100, 88, 134}, firstColumns(batches.get(1), 8));
        assertArrayEquals(new double[] {67, 146, 145, 37, 74, 129, 34, 132}, firstColumns(batches.get(2), 8));
    }

    @Test
    void exactMultipleHasNoRemainderBatch() {
        assertEquals(List.of(5, 5), indexed(10).miniBatches(5, 0).stream().map(Dataset::size).toList());
        assertEquals(List.of(10), indexed(10).miniBatches(64, 0).stream().map(Dataset::size).toList());
    }

    @Test
    void courseBatchingReseedsWithSeedPlusOneEachEpochLikeTheNotebook() {
        // notebook: seed = 10; per epoch: seed = seed + 1; random_mini_batches(..., seed)
        Batching course = Batching.course(10, 10);
        // python: np.random.seed(11); np.random.permutation(10)
        assertArrayEquals(new double[] {7, 8, 2, 6, 4, 5, 1, 3, 0, 9}, firstColumns(course.batches(indexed(10), 0).get(0), 10));
        // python: np.random.seed(12); np.random.permutation(10)
        assertArrayEquals(new double[] {5, 8, 7, 0, 4, 9, 3, 2, 1, 6}, firstColumns(course.batches(indexed(10), 1).get(0), 10));
    }

    @Test
    void shuffledBatchingContinuesOneGeneratorAndRestartsAtEpochZero() {
        Batching b = Batching.shuffled(10, 1);
        // python: r = np.random.RandomState(1); r.permutation(10); r.permutation(10)
        double[] e0 = {2, 9, 6, 4, 0, 3, 1, 7, 8, 5}, e1 = {9, 5, 3, 0, 8, 4, 2, 1, 6, 7};
        assertArrayEquals(e0, firstColumns(b.batches(indexed(10), 0).get(0), 10));
        assertArrayEquals(e1, firstColumns(b.batches(indexed(10), 1).get(0), 10));
        assertArrayEquals(e0, firstColumns(b.batches(indexed(10), 0).get(0), 10));
    }

    @Test
    void inOrderAndFullBatch() {
        List<Dataset> batches = Batching.inOrder(4).batches(indexed(10), 3);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Dataset::size).toList());
        assertArrayEquals(new double[] {8, 9}, firstColumns(batches.get(2), 2));
        assertEquals(10, Batching.fullBatch().batches(indexed(10), 0).get(0).size());
    }

    @Test
    void splits() {
        Dataset.Split s = indexed(10).split(7);
        assertEquals(7, s.train().size());
        assertArrayEquals(new double[] {7, 8, 9}, firstColumns(s.test(), 3));
        Dataset.Split r = indexed(7).split(0.7, 0);
        // python: np.random.seed(0); np.random.permutation(7) = [6, 2, 1, 3, 0, 5, 4]; round(0.7*7) = 5
        assertArrayEquals(new double[] {6, 2, 1, 3, 0}, firstColumns(r.train(), 5));
        assertArrayEquals(new double[] {5, 4}, firstColumns(r.test(), 2));
    }

    @Test
    void badInputsGiveClearErrors() {
        assertEquals("Dataset: X (2, 5) and Y (1, 4) must have the same number of columns (examples): 5 != 4;"
                + " hint: examples are columns, transpose a (m, n_x) matrix with X.transpose()",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset(Tensor.zeros(2, 5), Tensor.zeros(1, 4))).getMessage());
        assertEquals("miniBatches: batch size must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> indexed(5).miniBatches(0, 1)).getMessage());
        assertEquals("Batching.course: batch size must be at least 1, got -3",
                assertThrows(IllegalArgumentException.class, () -> Batching.course(-3, 1)).getMessage());
        assertEquals("Dataset.split: training size must be in [1, 5) so that both parts have examples, got 5",
                assertThrows(IllegalArgumentException.class, () -> indexed(5).split(5)).getMessage());
        assertEquals("Dataset.split: training fraction must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> indexed(5).split(1.0, 0)).getMessage());
        assertEquals("Dataset.select: no columns selected; a data set needs at least one example",
                assertThrows(IllegalArgumentException.class, () -> indexed(5).select()).getMessage());
        // an empty data set cannot even be built: tensors have at least one column
        assertEquals("zeros: sizes must be at least 1, got (2, 0)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0)).getMessage());
        assertEquals("Dataset: X must not be null",
                assertThrows(NullPointerException.class, () -> new Dataset(null, Tensor.zeros(1, 1))).getMessage());
    }

    @Test
    void standardizerMatchesNumpy() {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3, 4}, {10, 10, 10, 10}, {-1, 0.5, 2, 8}});
        Standardizer s = Standardizer.fit(x);
        // python: X.mean(axis=1) = [2.5, 10, 2.375]; X.std(axis=1) = [1.118033988749895, 0.0, 3.416412592179112]
        assertArrayEquals(new double[] {2.5, 10, 2.375}, s.mean().toRowMajorArray(), 1e-15);
        assertArrayEquals(new double[] {1.118033988749895, 0.0, 3.416412592179112}, s.std().toRowMajorArray(), 1e-15);
        // python: (X - mean) / where(std == 0, 1, std)
        assertArrayEquals(new double[] {-1.3416407864998738, -0.4472135954999579, 0.4472135954999579,
                1.3416407864998738, 0, 0, 0, 0, -0.9878783399072131, -0.5488212999484517, -0.10976425998969035,
                1.6464638998453551}, s.transform(x).toRowMajorArray(), 1e-15);
        assertEquals("Standardizer.transform: X (2, 4) has 2 rows but the standardizer was fitted on 3 features;"
                + " expected shape (3, m)",
                assertThrows(IllegalArgumentException.class, () -> s.transform(Tensor.zeros(2, 4))).getMessage());
    }

    @Test
    void aConstantFeatureWithRoundingNoiseInItsDeviationIsNotBlownUp() {
        // 0.1 three times: the mean is 0.10000000000000002, so σ comes out about 1e-17 instead of 0
        Tensor x = Tensor.of(new double[][] {{0.1, 0.1, 0.1}, {1, 2, 3}});
        Standardizer s = Standardizer.fit(x);
        assertTrue(s.std().get(0, 0) > 0 && s.std().get(0, 0) < 1e-15, "σ is rounding noise: " + s.std().get(0, 0));
        for (double v : s.transform(x).rows(0, 1).toRowMajorArray()) {
            assertTrue(Math.abs(v) < 1e-15, "centered, not divided by the noise: " + v);
        }
    }
}
