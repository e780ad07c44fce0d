package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every available matrix-multiply backend against a naive loop, called directly and through
 * chainrule's dispatch ({@code Gemm.multiply} with the backend current), across shapes: tiny,
 * inner dimension 1 and 2, tall and narrow, short and wide, all four transposes, 0-size. In autodiff
 * only {@code "java"} is available; the openblas module runs this class again with OpenBLAS on the
 * class path. Also the choice itself: forcing, fallback, error texts.
 */
class GemmBackendsTest {
    /** m, n, k: tiny, inner 1–2, narrow, wide, tall, odd, around blocking edges, 0-size. */
    private static final int[][] SHAPES = {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}, {4, 4, 4}, {5, 7, 3}, {8, 8, 8},
        {4, 400, 2}, {4, 2, 400}, {2, 400, 4}, {4, 400, 1}, {400, 4, 2}, {1, 300, 5}, {300, 1, 5}, {17, 33, 1},
        {64, 64, 2}, {1, 1, 500}, {3, 500, 3}, {500, 3, 3}, {257, 31, 65}, {63, 129, 255}, {128, 256, 32},
        {10, 128, 32}, {0, 5, 5}, {5, 0, 5}, {5, 5, 0}, {0, 0, 0}};

    /** {@link GemmTest#naive}'s product, with its error bound written into {@code bound}. */
    static double[] naive(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, int m, int n, int k,
            double[] bound) {
        double[][] cb = GemmTest.naive(ta, tb, a, aCols, b, bCols, m, n, k);
        System.arraycopy(cb[1], 0, bound, 0, cb[1].length);
        return cb[0];
    }

    @FunctionalInterface
    interface Multiply {
        void run(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
                double[] c);
    }

    /** Each shape and transpose through {@code mult}, against the naive loop to rounding. */
    static void checkAllShapes(String who, Multiply mult) {
        Random r = new Random(7);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                double[] a = r.doubles((long) m * k, -1, 1).toArray(), b = r.doubles((long) k * n, -1, 1).toArray();
                double[] c = new double[m * n], bound = new double[m * n];
                Arrays.fill(c, Double.NaN); // overwritten, never accumulated into
                mult.run(ta, tb, a, aRows, aCols, b, bRows, bCols, c);
                double[] ref = naive(ta, tb, a, aCols, b, bCols, m, n, k, bound);
                for (int e = 0; e < m * n; e++) {
                    if (!(Math.abs(c[e] - ref[e]) <= 1e-12 * bound[e] + Double.MIN_NORMAL)) {
                        fail(String.format("%s: (%d×%d)·(%d×%d) ta=%b tb=%b: element %d is %s, expected %s", who, m, k,
                                k, n, ta, tb, e, c[e], ref[e]));
                    }
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBackendMatchesNaive() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : GemmBackends.available()) {
            GemmBackend backend = GemmBackends.get(name);
            tests.add(DynamicTest.dynamicTest(name + " called directly",
                    () -> checkAllShapes(name, backend::multiply)));
            tests.add(DynamicTest.dynamicTest(name + " through chainrule's dispatch", () -> {
                GemmBackend before = GemmBackends.current();
                GemmBackends.use(name);
                try {
                    checkAllShapes(name + " (dispatch)", Gemm::multiply);
                } finally {
                    GemmBackends.use(before.name());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyBackendRejectsMismatchedInnerDimensions() {
        return GemmBackends.available().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmBackends.get(name)
                    .multiply(false, false, new double[6], 2, 3, new double[4], 2, 2, new double[4]));
            assertTrue(e.getMessage().contains("inner dimensions differ"), e.getMessage());
        }));
    }

    @Test
    void javaIsAlwaysAvailableAndFirst() {
        assertEquals(GemmBackends.JAVA, GemmBackends.available().get(0));
        assertSame(GemmBackends.PURE_JAVA, GemmBackends.get("java"));
    }

    @Test
    void unknownNameIsAnErrorNamingTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmBackends.use("nope"));
        assertTrue(e.getMessage().contains("\"nope\"") && e.getMessage().contains("available: java"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ the choice, on fake providers

    /** A provider as ServiceLoader hands it over: a type and a constructor that may throw. */
    private static ServiceLoader.Provider<GemmBackend> provider(Class<? extends GemmBackend> type,
            Supplier<GemmBackend> make) {
        return new ServiceLoader.Provider<>() {
            @Override
            public Class<? extends GemmBackend> type() {
                return type;
            }

            @Override
            public GemmBackend get() {
                return make.get();
            }
        };
    }

    /** A backend named "fast" that multiplies through the pure-Java kernel. */
    static class Fast implements GemmBackend {
        @Override
        public String name() {
            return "fast";
        }

        @Override
        public void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows,
                int bCols, double[] c) {
            GemmBackends.PURE_JAVA.multiply(ta, tb, a, aRows, aCols, b, bRows, bCols, c);
        }
    }

    /** A backend whose native library is missing. */
    static final class Broken extends Fast {
        Broken() {
            throw new UnsatisfiedLinkError("no jnibroken in java.library.path");
        }
    }

    private static GemmBackends.Catalog catalog(boolean withFast) {
        List<ServiceLoader.Provider<GemmBackend>> ps = new ArrayList<>();
        ps.add(provider(Broken.class, Broken::new));
        if (withFast) {
            ps.add(provider(Fast.class, Fast::new));
        }
        return new GemmBackends.Catalog(ps.stream());
    }

    private static String chooseCapturing(String forced, GemmBackends.Catalog c, GemmBackend[] chosen) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        chosen[0] = GemmBackends.choose(forced, c, new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBackendThatFailsToLoadFallsBackWithOneLine() {
        GemmBackend[] chosen = new GemmBackend[1];
        String err = chooseCapturing(null, catalog(false), chosen);
        assertSame(GemmBackends.PURE_JAVA, chosen[0]);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(Broken.class.getName()) && err.contains("UnsatisfiedLinkError")
                && err.contains("pure Java"), err);
    }

    @Test
    void aLoadedBackendIsPreferredToPureJava() {
        GemmBackend[] chosen = new GemmBackend[1];
        chooseCapturing(null, catalog(true), chosen);
        assertEquals("fast", chosen[0].name());
    }

    @Test
    void forcingJavaWinsOverALoadedBackend() {
        GemmBackend[] chosen = new GemmBackend[1];
        String err = chooseCapturing(" java ", catalog(true), chosen);
        assertSame(GemmBackends.PURE_JAVA, chosen[0]);
        assertEquals("", err);
    }

    @Test
    void forcingABackendThatDidNotLoadIsAnErrorSayingWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GemmBackends.choose("openblas", catalog(true), System.err));
        String m = e.getMessage();
        assertTrue(m.startsWith("-Dchainrule.gemm=openblas: no matrix-multiply backend named \"openblas\""), m);
        assertTrue(m.contains("available: java, fast") && m.contains(Broken.class.getName())
                && m.contains("no jnibroken"), m);
    }
}
