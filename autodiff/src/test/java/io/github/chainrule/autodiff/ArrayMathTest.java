package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link ArrayMath} against {@code StrictMath}: the largest error in ulps of the reference over
 * dense sweeps of each domain, and exact results at special values (signed zeros, subnormals,
 * huge arguments, infinities, NaN, the points where a formula or range changes).
 */
class ArrayMathTest {

    /** Arguments that every function is checked at exactly (where meaningful) or within its bound. */
    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1e-310, -1e-310, 1e-300, -1e-300, 1e-20, -1e-20,
        1e-9, -1e-9, 0.5, -0.5, 0.625, -0.625, Math.nextUp(0.625), Math.nextDown(0.625), -Math.nextUp(0.625), 1, -1,
        Math.nextUp(1.0), Math.nextDown(1.0), Math.sqrt(0.5), Math.nextDown(Math.sqrt(2)), Math.sqrt(2), 2, -2, 19, -19,
        22, -22, Math.nextUp(22.0), Math.nextDown(22.0), 44, -44, 700, -700, -708, Math.nextDown(-708.0), -708.5,
        709, Math.nextUp(709.0), 709.78, 709.8, 710, -745, -745.1, -745.2, -746, 1e300, -1e300, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    /** {@code |got − ref|} in ulps of {@code ref}; infinite when one is NaN or infinite and the other differs. */
    static double ulps(double got, double ref) {
        if (Double.isNaN(ref) || Double.isNaN(got)) {
            return Double.isNaN(ref) && Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (got == ref) {
            // the sign of zero counts
            return Double.doubleToRawLongBits(got) == Double.doubleToRawLongBits(ref) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(ref) || Double.isInfinite(got)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - ref) / Math.ulp(ref);
    }

    /** The largest error of {@code f} against {@code ref} over {@code xs}. */
    static double maxUlps(BiConsumer<double[], double[]> f, DoubleUnaryOperator ref, double[] xs) {
        double[] r = new double[xs.length];
        f.accept(xs, r);
        double max = 0;
        for (int i = 0; i < xs.length; i++) {
            max = Math.max(max, ulps(r[i], ref.applyAsDouble(xs[i])));
        }
        return max;
    }

    /** {@code n} points evenly spaced over [lo, hi] interleaved with {@code n} random ones. */
    static double[] sweep(double lo, double hi, int n) {
        Random rnd = new Random(7);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = lo + (hi - lo) * i / (n - 1);
            x[2 * i + 1] = lo + (hi - lo) * rnd.nextDouble();
        }
        return x;
    }

    /** {@code n} points with log-uniform magnitudes in [2^lo, 2^hi], both signs. */
    static double[] magnitudes(int lo, int hi, int n) {
        Random rnd = new Random(11);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Math.scalb(1 + rnd.nextDouble(), lo + rnd.nextInt(hi - lo));
            x[i] = i % 2 == 0 ? m : -m;
        }
        return x;
    }

    /** σ from {@code StrictMath.exp} in the two branches that never overflow. */
    static double sigmoidReference(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1.0 + e);
    }

    @Test
    void expWithinOneUlpOfStrictMath() {
        assertTrue(maxUlps(ArrayMath::exp, StrictMath::exp, sweep(-746, 710, 500_000)) <= 1);
        assertTrue(maxUlps(ArrayMath::exp, StrictMath::exp, sweep(-1, 1, 200_000)) <= 1);
        assertTrue(maxUlps(ArrayMath::exp, StrictMath::exp, magnitudes(-1074, 10, 200_000)) <= 1);
        assertEquals(0, maxUlps(ArrayMath::exp, StrictMath::exp, SPECIAL));
    }

    @Test
    void logWithinOneUlpOfStrictMath() {
        assertTrue(maxUlps(ArrayMath::log, StrictMath::log, sweep(0, 4, 500_000)) <= 1);
        assertTrue(maxUlps(ArrayMath::log, StrictMath::log, sweep(0.7, 1.5, 200_000)) <= 1);
        double[] wide = magnitudes(-1074, 1023, 400_000);
        for (int i = 0; i < wide.length; i++) {
            wide[i] = Math.abs(wide[i]);
        }
        assertTrue(maxUlps(ArrayMath::log, StrictMath::log, wide) <= 1);
        // zeros give −∞, negatives and NaN give NaN, +∞ gives +∞, subnormals and extremes exact
        double[] special = SPECIAL.clone();
        double[] r = new double[special.length];
        ArrayMath.log(special, r);
        for (int i = 0; i < special.length; i++) {
            assertTrue(ulps(r[i], StrictMath.log(special[i])) <= 1, "log(" + special[i] + ") = " + r[i]);
        }
        assertEquals(Double.NEGATIVE_INFINITY, r[1]);
        assertEquals(Double.POSITIVE_INFINITY, r[special.length - 3]);
        assertTrue(Double.isNaN(r[special.length - 2]) && Double.isNaN(r[special.length - 1]));
    }

    @Test
    void tanhWithinTwoUlpsOfStrictMath() {
        assertTrue(maxUlps(ArrayMath::tanh, StrictMath::tanh, sweep(-25, 25, 500_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::tanh, StrictMath::tanh, sweep(-1, 1, 300_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::tanh, StrictMath::tanh, sweep(0.6, 0.65, 100_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::tanh, StrictMath::tanh, magnitudes(-1074, 6, 300_000)) <= 2);
        // odd and exact at ±0 (sign kept), subnormals (tanh x = x), saturation and ±∞ (±1), NaN
        assertTrue(maxUlps(ArrayMath::tanh, StrictMath::tanh, SPECIAL) <= 2);
        double[] r = new double[4];
        ArrayMath.tanh(new double[] {-0.0, 0.0, Double.NEGATIVE_INFINITY, 30}, r);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(r[0]));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(r[1]));
        assertEquals(-1.0, r[2]);
        assertEquals(1.0, r[3]);
    }

    @Test
    void sigmoidWithinTwoUlpsOfItsStrictMathFormula() {
        assertTrue(maxUlps(ArrayMath::sigmoid, ArrayMathTest::sigmoidReference, sweep(-750, 750, 500_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::sigmoid, ArrayMathTest::sigmoidReference, sweep(-40, 40, 300_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::sigmoid, ArrayMathTest::sigmoidReference, magnitudes(-1074, 10, 200_000)) <= 2);
        assertTrue(maxUlps(ArrayMath::sigmoid, ArrayMathTest::sigmoidReference, SPECIAL) <= 2);
        double[] r = new double[3];
        ArrayMath.sigmoid(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}, r);
        assertEquals(1.0, r[0]);
        assertEquals(0.0, r[1]);
        assertEquals(0.5, r[2]);
    }

    @Test
    void theUlpMeasureRejectsAWorseApproximation() {
        // tanh as (e^{2x} − 1)/(e^{2x} + 1) with an exact exp: cancellation near 0 costs many ulps
        BiConsumer<double[], double[]> naive = (x, r) -> {
            for (int i = 0; i < x.length; i++) {
                double e = StrictMath.exp(2 * x[i]);
                r[i] = (e - 1) / (e + 1);
            }
        };
        assertTrue(maxUlps(naive, StrictMath::tanh, sweep(-1, 1, 10_000)) > 2);
        // and exp without its last polynomial term, over the same sweep as the real one
        BiConsumer<double[], double[]> shortExp = (x, r) -> {
            for (int i = 0; i < x.length; i++) {
                double t = x[i];
                r[i] = 1 + t * (1 + t * (0.5 + t * (1.0 / 6 + t * (1.0 / 24 + t * (1.0 / 120 + t / 720)))));
            }
        };
        assertTrue(maxUlps(shortExp, StrictMath::exp, sweep(-0.35, 0.35, 10_000)) > 1);
    }

    @Test
    void longArraysGoBlockByBlockToTheSameResults() {
        double[] x = sweep(-30, 30, 3 * ArrayMath.BLOCK + 17);
        for (BiConsumer<double[], double[]> f : java.util.List.<BiConsumer<double[], double[]>>of(
                ArrayMath::exp, ArrayMath::log, ArrayMath::tanh, ArrayMath::sigmoid)) {
            double[] whole = new double[x.length];
            f.accept(x, whole);
            for (int i = 0; i < x.length; i += 97) {
                double[] one = new double[1];
                f.accept(new double[] {x[i]}, one);
                assertEquals(Double.doubleToRawLongBits(one[0]), Double.doubleToRawLongBits(whole[i]), "at " + x[i]);
            }
        }
    }

    @Test
    void rejectsAliasedOrShortResults() {
        double[] x = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> ArrayMath.tanh(x, x));
        assertThrows(IllegalArgumentException.class, () -> ArrayMath.exp(x, new double[2]));
    }
}
