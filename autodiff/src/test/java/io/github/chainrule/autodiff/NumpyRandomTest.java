package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expected value below was printed by real numpy 2.4.6 (legacy {@code RandomState}, Linux
 * x86-64, glibc 2.36); the Python line that produced it is in the comment above it. Floating-point
 * values are compared exactly: the point of the class is bit-for-bit agreement.
 */
class NumpyRandomTest {

    private static double[] flatten(double[][] m) {
        return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
    }

    @Test
    void randnSeed1() {
        // np.random.seed(1); np.random.randn(5)
        double[] expected = {
            1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705,
            0.8654076293246785
        };
        assertArrayEquals(expected, new NumpyRandom(1).randn(5), 0.0);
    }

    @Test
    void randnSeed3TimesTen() {
        // np.random.seed(3); np.random.randn(3) * 10
        double[] expected = {17.886284734303185, 4.365098505119894, 0.9649746807200863};
        double[] actual = new NumpyRandom(3).randn(3);
        for (int i = 0; i < actual.length; i++) {
            actual[i] *= 10;
        }
        assertArrayEquals(expected, actual, 0.0);
    }

    @Test
    void randnMatrixIsRowMajor() {
        // np.random.seed(2); np.random.randn(4, 2) * 0.01
        double[] expected = {
            -0.004167578474054706, -0.0005626682722632948,
            -0.02136196095668454, 0.016402708084049887,
            -0.017934355851948632, -0.00841747365656204,
            0.005028814171580428, -0.012452880866072316
        };
        double[][] w = new NumpyRandom(2).randn(4, 2);
        assertEquals(4, w.length);
        for (double[] row : w) {
            assertEquals(2, row.length);
            for (int j = 0; j < row.length; j++) {
                row[j] *= 0.01;
            }
        }
        assertArrayEquals(expected, flatten(w), 0.0);
    }

    @Test
    void randMatrix() {
        // np.random.seed(42); np.random.rand(2, 3)
        double[] expected = {
            0.3745401188473625, 0.9507143064099162, 0.7319939418114051,
            0.5986584841970366, 0.15601864044243652, 0.15599452033620265
        };
        double[][] u = new NumpyRandom(42).rand(2, 3);
        assertEquals(2, u.length);
        assertArrayEquals(expected, flatten(u), 0.0);
    }

    @Test
    void gaussCachePersistsAcrossInterleavedCalls() {
        // np.random.seed(7); [np.random.randn(), np.random.rand(), np.random.randn(),
        //   np.random.randn(), np.random.rand(), *np.random.randn(3), np.random.rand()]
        double[] expected = {
            1.690525703800356, 0.9779895119966027, -0.4659373705408328, 0.09316606097975175,
            0.07205113335976154, 3.200914709117712, -0.0008903858579313628, -1.7547243063454208,
            0.6792299961209405
        };
        NumpyRandom r = new NumpyRandom(7);
        double[] actual = new double[9];
        actual[0] = r.randn();
        actual[1] = r.rand();
        actual[2] = r.randn();
        actual[3] = r.randn();
        actual[4] = r.rand();
        System.arraycopy(r.randn(3), 0, actual, 5, 3);
        actual[8] = r.rand();
        assertArrayEquals(expected, actual, 0.0);
    }

    @Test
    void normalScalarThenMatrix() {
        // np.random.seed(5); [np.random.normal(0.5, 2.0), *np.random.normal(0.5, 2.0, (2, 3)).ravel()]
        double[] expected = {
            1.3824549737700829, -0.16174030378817528, 5.36154237401556, -0.00418425920615384,
            0.7192196831563655, 3.6649622341231267, -1.3184648097124838
        };
        NumpyRandom r = new NumpyRandom(5);
        double first = r.normal(0.5, 2.0);
        double[][] m = r.normal(0.5, 2.0, 2, 3);
        assertEquals(expected[0], first, 0.0);
        assertArrayEquals(Arrays.copyOfRange(expected, 1, 7), flatten(m), 0.0);
    }

    @Test
    void uniformScalarThenMatrix() {
        // np.random.seed(6); [np.random.uniform(-1.0, 3.0), *np.random.uniform(-1.0, 3.0, (2, 2)).ravel()]
        double[] expected = {
            2.5714406057440065, 0.32791922120470884, 2.284916492231327, -0.8332134970990004,
            -0.5693732802561282
        };
        NumpyRandom r = new NumpyRandom(6);
        double first = r.uniform(-1.0, 3.0);
        double[][] m = r.uniform(-1.0, 3.0, 2, 2);
        assertEquals(expected[0], first, 0.0);
        assertArrayEquals(Arrays.copyOfRange(expected, 1, 5), flatten(m), 0.0);
    }

    @Test
    void permutationSeed10() {
        // np.random.seed(10); np.random.permutation(10)
        assertArrayEquals(new int[] {8, 2, 5, 6, 3, 1, 0, 7, 4, 9}, new NumpyRandom(10).permutation(10));
        // np.random.seed(10); np.random.permutation(148)
        int[] expected = {
            79, 124, 24, 35, 85, 59, 10, 114, 140, 144, 38, 21, 43, 105, 39, 1, 19, 83, 84, 70, 116, 142,
            56, 55, 2, 76, 146, 127, 52, 82, 60, 91, 108, 58, 68, 106, 63, 112, 120, 26, 53, 41, 81, 32,
            47, 66, 61, 87, 139, 14, 48, 109, 20, 135, 29, 3, 126, 118, 138, 37, 99, 117, 137, 45, 102,
            67, 42, 131, 129, 110, 111, 101, 6, 96, 103, 34, 130, 50, 90, 4, 5, 44, 128, 97, 75, 7, 46,
            17, 98, 95, 71, 80, 104, 145, 147, 132, 74, 28, 11, 94, 23, 22, 121, 93, 18, 27, 36, 57, 31,
            65, 12, 89, 141, 30, 86, 92, 119, 25, 136, 13, 69, 77, 133, 51, 49, 78, 134, 72, 33, 62, 122,
            107, 88, 54, 100, 16, 115, 40, 0, 73, 8, 143, 123, 113, 64, 15, 125, 9
        };
        assertArrayEquals(expected, new NumpyRandom(10).permutation(148));
    }

    @Test
    void permutationSeed11() {
        // np.random.seed(11); np.random.permutation(10)
        assertArrayEquals(new int[] {7, 8, 2, 6, 4, 5, 1, 3, 0, 9}, new NumpyRandom(11).permutation(10));
        // np.random.seed(11); np.random.permutation(148)
        int[] expected = {
            110, 41, 131, 102, 137, 9, 30, 15, 73, 65, 140, 58, 141, 111, 63, 128, 118, 135, 139, 94, 22,
            2, 93, 12, 11, 116, 117, 16, 143, 0, 69, 120, 83, 29, 105, 103, 75, 61, 56, 6, 49, 77, 121,
            62, 35, 66, 46, 147, 60, 51, 108, 84, 42, 20, 21, 26, 133, 124, 144, 28, 4, 36, 54, 52, 31,
            101, 39, 86, 85, 100, 88, 134, 97, 33, 138, 104, 106, 112, 90, 47, 115, 48, 18, 126, 17, 98,
            38, 25, 19, 78, 32, 72, 68, 130, 87, 8, 3, 1, 59, 99, 50, 142, 53, 5, 95, 113, 40, 123, 122,
            55, 7, 14, 44, 119, 57, 10, 107, 89, 127, 27, 23, 96, 79, 64, 136, 114, 43, 70, 67, 146, 145,
            37, 74, 129, 34, 132, 125, 45, 92, 109, 24, 82, 71, 76, 13, 81, 91, 80
        };
        assertArrayEquals(expected, new NumpyRandom(11).permutation(148));
    }

    @Test
    void permutationOfZeroIsEmpty() {
        assertArrayEquals(new int[0], new NumpyRandom(1).permutation(0));
    }

    @Test
    void shuffleIntArray() {
        // np.random.seed(4); a = np.arange(12) * 3; np.random.shuffle(a); a
        int[] a = new int[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = 3 * i;
        }
        new NumpyRandom(4).shuffle(a);
        assertArrayEquals(new int[] {9, 12, 18, 27, 24, 6, 33, 0, 3, 15, 21, 30}, a);
    }

    @Test
    void shuffleDoubleArray() {
        // np.random.seed(4); a = np.arange(12) * 0.5; np.random.shuffle(a); a
        double[] a = new double[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.5 * i;
        }
        new NumpyRandom(4).shuffle(a);
        assertArrayEquals(
                new double[] {1.5, 2.0, 3.0, 4.5, 4.0, 1.0, 5.5, 0.0, 0.5, 2.5, 3.5, 5.0}, a, 0.0);
    }

    @Test
    void shuffleLists() {
        // np.random.seed(8); a = list('abcdefg'); np.random.shuffle(a); a
        List<String> expected = List.of("c", "a", "g", "f", "b", "e", "d");
        List<String> arrayList = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g"));
        new NumpyRandom(8).shuffle(arrayList);
        assertEquals(expected, arrayList);
        // The non-RandomAccess path must consume the stream identically.
        List<String> linked = new LinkedList<>(List.of("a", "b", "c", "d", "e", "f", "g"));
        new NumpyRandom(8).shuffle(linked);
        assertEquals(expected, linked);
    }

    @Test
    void randomIntervalAbove32Bits() {
        // Legacy randint with an int64 range uses the same masked rejection as random_interval(max):
        // np.random.RandomState(9).randint(0, 2**40 + 1, size=5, dtype=np.int64)
        long[] expected = {543309627893L, 1079394964374L, 536928129601L, 98256916916L, 253993743656L};
        NumpyRandom r = new NumpyRandom(9);
        long[] actual = new long[5];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = r.randomInterval(1L << 40);
        }
        assertArrayEquals(expected, actual);

        // np.random.RandomState(9).randint(0, 3 * 2**33 - 7 + 1, size=5, dtype=np.int64)
        long[] expected2 = {14243074966L, 21532054081L, 13475575080L, 9185274097L, 1700316789L};
        r.seed(9);
        for (int i = 0; i < actual.length; i++) {
            actual[i] = r.randomInterval(3L * (1L << 33) - 7);
        }
        assertArrayEquals(expected2, actual);
    }

    @Test
    void randomIntervalZeroConsumesNothing() {
        NumpyRandom r = new NumpyRandom(0);
        assertEquals(0L, r.randomInterval(0));
        // np.random.RandomState(0).randint(0, 2**32, size=4, dtype=np.uint64)
        assertEquals(2357136044L, r.nextInt32());
    }

    @Test
    void rawDrawsSeed0() {
        // np.random.RandomState(0).randint(0, 2**32, size=4, dtype=np.uint64)
        NumpyRandom r = new NumpyRandom(0);
        long[] actual = {r.nextInt32(), r.nextInt32(), r.nextInt32(), r.nextInt32()};
        assertArrayEquals(new long[] {2357136044L, 2546248239L, 3071714933L, 3626093760L}, actual);
    }

    @Test
    void seed0() {
        // np.random.RandomState(0).randn(3)
        assertArrayEquals(
                new double[] {1.764052345967664, 0.4001572083672233, 0.9787379841057392},
                new NumpyRandom(0).randn(3),
                0.0);
        // np.random.RandomState(0).rand(3)
        assertArrayEquals(
                new double[] {0.5488135039273248, 0.7151893663724195, 0.6027633760716439},
                new NumpyRandom(0).rand(3),
                0.0);
    }

    @Test
    void largestSeed() {
        // np.random.RandomState(4294967295).randn(3)
        assertArrayEquals(
                new double[] {0.6484086742306527, 0.6693235306338161, -1.0805437227474493},
                new NumpyRandom(4294967295L).randn(3),
                0.0);
        // np.random.RandomState(4294967295).rand(3)
        assertArrayEquals(
                new double[] {0.0976320289940138, 0.9123828453026218, 0.78903530185164},
                new NumpyRandom(4294967295L).rand(3),
                0.0);
        // np.random.RandomState(4294967295).randint(0, 2**32, size=2, dtype=np.uint64)
        NumpyRandom r = new NumpyRandom(4294967295L);
        assertArrayEquals(new long[] {419326371L, 479346978L}, new long[] {r.nextInt32(), r.nextInt32()});
    }

    @Test
    void randint() {
        // np.random.seed(12); [np.random.randint(0, 10) for _ in range(6)]
        //   + [np.random.randint(-5, 5) for _ in range(4)]
        //   + [np.random.randint(-2**31, 2**31 - 1) for _ in range(2)]
        int[] expected = {6, 1, 2, 3, 3, 0, 1, -4, -1, 0, -2003939699, -1793044007};
        NumpyRandom r = new NumpyRandom(12);
        int[] actual = new int[12];
        for (int i = 0; i < 6; i++) {
            actual[i] = r.randint(0, 10);
        }
        for (int i = 6; i < 10; i++) {
            actual[i] = r.randint(-5, 5);
        }
        for (int i = 10; i < 12; i++) {
            actual[i] = r.randint(Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void randintInterleavedWithRandn() {
        // np.random.seed(13); [np.random.randn(), np.random.randint(0, 100), np.random.randn(),
        //   np.random.randint(7, 8), np.random.randint(0, 1000)]
        // -> [-0.712390662050588, 98, 0.753766378659703, 7, 756]
        NumpyRandom r = new NumpyRandom(13);
        assertEquals(-0.712390662050588, r.randn(), 0.0);
        assertEquals(98, r.randint(0, 100));
        assertEquals(0.753766378659703, r.randn(), 0.0);
        assertEquals(7, r.randint(7, 8));
        assertEquals(756, r.randint(0, 1000));
    }

    @Test
    void reseedingClearsGaussCache() {
        NumpyRandom r = new NumpyRandom(1);
        double first = r.randn();
        // A second value is now cached; seed() must drop it, as np.random.seed does.
        r.seed(1);
        assertEquals(first, r.randn(), 0.0);
        // np.random.seed(1); np.random.randn(5)[0]
        assertEquals(1.6243453636632417, first, 0.0);
    }

    @Test
    void badSeeds() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(-1));
        assertEquals("NumpyRandom: seed must be in [0, 2^32), got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(1).seed(4294967296L));
        assertEquals("NumpyRandom: seed must be in [0, 2^32), got 4294967296", e.getMessage());
    }

    @Test
    void negativeSizes() {
        NumpyRandom r = new NumpyRandom(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.rand(-1));
        assertEquals("NumpyRandom.rand: size must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.randn(2, -3));
        assertEquals("NumpyRandom.randn: rows and cols must be >= 0, got 2x-3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.normal(0, 1, -1, 2));
        assertEquals("NumpyRandom.normal: rows and cols must be >= 0, got -1x2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.uniform(0, 1, 1, -2));
        assertEquals("NumpyRandom.uniform: rows and cols must be >= 0, got 1x-2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.permutation(-2));
        assertEquals("NumpyRandom.permutation: size must be >= 0, got -2", e.getMessage());
    }

    @Test
    void otherArgumentErrors() {
        NumpyRandom r = new NumpyRandom(1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.randint(5, 5));
        assertEquals("NumpyRandom.randint: low must be < high, got low=5, high=5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.normal(0, -1));
        assertEquals("NumpyRandom.normal: scale must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.randomInterval(-1));
        assertEquals("NumpyRandom.randomInterval: max must be >= 0, got -1", e.getMessage());
    }
}
