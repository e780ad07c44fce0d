package io.github.chainrule.autodiff;

import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;

/**
 * A random number generator that reproduces numpy's legacy {@code np.random.RandomState} bit for
 * bit, so that a Java program can replay a notebook that calls {@code np.random.seed(k)} and then
 * draws weights, noise or shuffles.
 *
 * <p>The core is the 32-bit Mersenne Twister MT19937 (Matsumoto and Nishimura), seeded with the
 * reference {@code init_genrand} routine exactly as {@code RandomState(seed)} does for an integer
 * seed in {@code [0, 2^32)}. On top of it every method follows numpy's legacy code path, not a
 * merely equivalent algorithm, because any difference in how raw 32-bit words are consumed would
 * desynchronise every later draw:
 *
 * <ul>
 *   <li>{@link #rand()} is {@code random_sample}: 53 bits built from two 32-bit words.
 *   <li>{@link #randn()} is {@code legacy_gauss}: the Marsaglia polar method, which yields two
 *       normals per accepted pair and caches the second one for the next call.
 *   <li>{@link #randomInterval(long)} is {@code random_interval}: masked rejection sampling, the
 *       basis of {@link #shuffle(int[])}, {@link #permutation(int)} and {@link #randint(int, int)}.
 * </ul>
 *
 * <p>Array methods fill their result in row-major (C) order, the order in which numpy fills an
 * array of the same shape, so {@code randn(rows, cols)} here equals {@code np.random.randn(rows,
 * cols)} element for element.
 *
 * <p>Example: after {@code np.random.seed(1)}, {@code np.random.randn(5)} gives {@code
 * [1.62434536, -0.61175641, -0.52817175, -1.07296862, 0.86540763]}, and so does
 *
 * <pre>{@code
 * double[] z = new NumpyRandom(1).randn(5);
 * }</pre>
 *
 * <p>One caveat on gaussians. Integer draws, {@code rand}, {@code uniform}, {@code randint},
 * {@code permutation} and {@code shuffle} are pure integer and IEEE arithmetic and match numpy
 * exactly. {@code randn} and {@code normal} also need a logarithm, and numpy takes it from the C
 * library, which is not correctly rounded everywhere (glibc's {@code log} is off by one ulp for
 * roughly 0.07% of the arguments the polar method produces). This class uses a correctly rounded
 * logarithm instead, so its results are identical on every JVM; against numpy on Linux/glibc
 * about one gaussian in 3,000 differs, by 1 to 3 ulps, and the stream of raw draws never drifts
 * (a gaussian's value never changes how many words are consumed).
 *
 * <p>Only integer seeds are supported; numpy's array seeding ({@code init_by_array}) and the newer
 * {@code np.random.default_rng} / {@code Generator} API (PCG64, different algorithms) are not.
 *
 * <p>Instances are not thread-safe: every draw mutates the generator state and the cached
 * gaussian. Use one instance per thread or synchronise externally.
 */
public final class NumpyRandom {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    private static final long UINT32_MAX = 0xffffffffL;

    private static final double SQRT2 = 1.4142135623730951;

    // |s| <= 2^-7.5 in log(), so z = s^2 <= 2^-15 and seven terms leave a truncation error below
    // 2^-108. The table and ln2 are built from s up to 1/3 (z = 1/9), where 40 terms are plenty.
    private static final int ATANH_TERMS_FAST = 7;
    private static final int ATANH_TERMS_SLOW = 40;
    private static final double[] COEF_HI = new double[ATANH_TERMS_SLOW];
    private static final double[] COEF_LO = new double[ATANH_TERMS_SLOW];

    // log(1 + i/64) for i in [-19, 27], the range rint((m - 1) * 64) takes for m in (0.707, 1.415).
    private static final int LOGC_OFFSET = 19;
    private static final double[] LOGC_HI = new double[47];
    private static final double[] LOGC_LO = new double[47];
    private static final double LN2_HI;
    private static final double LN2_LO;

    static {
        // Computed rather than tabulated so every constant is derivable from this file alone.
        for (int j = 0; j < ATANH_TERMS_SLOW; j++) {
            double d = 2 * j + 1;
            COEF_HI[j] = 1.0 / d;
            COEF_LO[j] = Math.fma(-COEF_HI[j], d, 1.0) / d;
        }
        double[] dd = new double[2];
        atanhLog(2.0, 1.0, ATANH_TERMS_SLOW, dd);
        LN2_HI = dd[0];
        LN2_LO = dd[1];
        for (int i = -LOGC_OFFSET; i < LOGC_HI.length - LOGC_OFFSET; i++) {
            atanhLog(1.0 + i / 64.0, 1.0, ATANH_TERMS_SLOW, dd);
            LOGC_HI[i + LOGC_OFFSET] = dd[0];
            LOGC_LO[i + LOGC_OFFSET] = dd[1];
        }
    }

    private final int[] mt = new int[N];
    private final double[] scratch = new double[2];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /**
     * Creates a generator in the same state as {@code np.random.RandomState(seed)} (equivalently,
     * the global generator after {@code np.random.seed(seed)}).
     *
     * @param seed an integer in {@code [0, 2^32)}
     * @throws IllegalArgumentException if the seed is outside {@code [0, 2^32)}, as numpy rejects it
     */
    public NumpyRandom(long seed) {
        seed(seed);
    }

    /**
     * Re-seeds this generator, exactly like {@code np.random.seed(seed)}. The cached second gaussian
     * of {@link #randn()} is discarded too, as numpy does, so the next {@code randn()} starts fresh.
     *
     * @param seed an integer in {@code [0, 2^32)}
     * @throws IllegalArgumentException if the seed is outside {@code [0, 2^32)}
     */
    public void seed(long seed) {
        if (seed < 0 || seed > UINT32_MAX) {
            throw new IllegalArgumentException(
                    "NumpyRandom: seed must be in [0, 2^32), got " + seed);
        }
        // init_genrand; Java int multiplication wraps mod 2^32 exactly like the C uint32 arithmetic.
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
        hasGauss = false;
        gauss = 0.0;
    }

    /**
     * Returns the next raw 32-bit output of MT19937 ({@code genrand_int32} with the standard
     * tempering). A {@code long} is returned so the value reads as the unsigned number numpy sees,
     * for example {@code np.random.randint(0, 2**32, dtype=np.uint64)}.
     *
     * @return a uniformly distributed integer in {@code [0, 2^32)}
     */
    public long nextInt32() {
        return next32() & UINT32_MAX;
    }

    /**
     * Returns a uniform double in {@code [0, 1)}, like {@code np.random.rand()} / {@code
     * random_sample()}. Consumes two 32-bit words: 27 high bits of the first and 26 of the second
     * make the 53-bit mantissa.
     *
     * @return a uniform double in {@code [0, 1)}
     */
    public double rand() {
        int a = next32() >>> 5;
        int b = next32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * Returns a standard normal draw, like {@code np.random.randn()} / {@code standard_normal()}.
     * Draws come in pairs (polar method); the second of a pair is cached and returned by the next
     * call, and the cache survives calls to other methods, exactly as in numpy, so interleaving
     * {@code rand()} and {@code randn()} stays in step with numpy. About one value in 3,000 differs
     * from numpy's in the last bits; see the class documentation.
     *
     * @return a draw from N(0, 1)
     */
    public double randn() {
        if (hasGauss) {
            double cached = gauss;
            hasGauss = false;
            gauss = 0.0;
            return cached;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * rand() - 1.0;
            x2 = 2.0 * rand() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /**
     * Returns {@code loc + scale * randn()}, like {@code np.random.normal(loc, scale)}.
     *
     * @param loc the mean
     * @param scale the standard deviation, non-negative
     * @return a draw from N(loc, scale^2)
     * @throws IllegalArgumentException if {@code scale} is negative (numpy's {@code scale < 0} error)
     */
    public double normal(double loc, double scale) {
        checkScale("normal", scale);
        return loc + scale * randn();
    }

    /**
     * Returns {@code low + (high - low) * rand()}, like {@code np.random.uniform(low, high)}. As in
     * numpy, {@code high < low} is allowed and simply reverses the interval.
     *
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive, up to rounding)
     * @return a uniform draw from {@code [low, high)}
     */
    public double uniform(double low, double high) {
        return low + (high - low) * rand();
    }

    /**
     * Returns {@code n} uniform doubles in {@code [0, 1)}, like {@code np.random.rand(n)}.
     *
     * @param n the number of values, non-negative
     * @return a new array of length {@code n}
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public double[] rand(int n) {
        checkSize("rand", n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rand();
        }
        return out;
    }

    /**
     * Returns a {@code rows x cols} matrix of uniform doubles in {@code [0, 1)}, filled row-major
     * like {@code np.random.rand(rows, cols)}.
     *
     * @param rows the number of rows, non-negative
     * @param cols the number of columns, non-negative
     * @return a new {@code rows x cols} array
     * @throws IllegalArgumentException if a size is negative
     */
    public double[][] rand(int rows, int cols) {
        checkSize("rand", rows, cols);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = rand();
            }
        }
        return out;
    }

    /**
     * Returns {@code n} standard normal draws, like {@code np.random.randn(n)}.
     *
     * @param n the number of values, non-negative
     * @return a new array of length {@code n}
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public double[] randn(int n) {
        checkSize("randn", n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = randn();
        }
        return out;
    }

    /**
     * Returns a {@code rows x cols} matrix of standard normal draws, filled row-major like {@code
     * np.random.randn(rows, cols)}.
     *
     * @param rows the number of rows, non-negative
     * @param cols the number of columns, non-negative
     * @return a new {@code rows x cols} array
     * @throws IllegalArgumentException if a size is negative
     */
    public double[][] randn(int rows, int cols) {
        checkSize("randn", rows, cols);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = randn();
            }
        }
        return out;
    }

    /**
     * Returns a {@code rows x cols} matrix of normal draws, filled row-major like {@code
     * np.random.normal(loc, scale, (rows, cols))}.
     *
     * @param loc the mean
     * @param scale the standard deviation, non-negative
     * @param rows the number of rows, non-negative
     * @param cols the number of columns, non-negative
     * @return a new {@code rows x cols} array
     * @throws IllegalArgumentException if {@code scale} or a size is negative
     */
    public double[][] normal(double loc, double scale, int rows, int cols) {
        checkScale("normal", scale);
        checkSize("normal", rows, cols);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = loc + scale * randn();
            }
        }
        return out;
    }

    /**
     * Returns a {@code rows x cols} matrix of uniform draws from {@code [low, high)}, filled
     * row-major like {@code np.random.uniform(low, high, (rows, cols))}.
     *
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive, up to rounding)
     * @param rows the number of rows, non-negative
     * @param cols the number of columns, non-negative
     * @return a new {@code rows x cols} array
     * @throws IllegalArgumentException if a size is negative
     */
    public double[][] uniform(double low, double high, int rows, int cols) {
        checkSize("uniform", rows, cols);
        double range = high - low;
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = low + range * rand();
            }
        }
        return out;
    }

    /**
     * Returns a uniform integer in {@code [0, max]} (inclusive), exactly numpy's legacy {@code
     * random_interval}: draws are masked to the smallest {@code 2^k - 1 >= max} and rejected until
     * one is {@code <= max}. For {@code max <= 2^32 - 1} each attempt uses one 32-bit word;
     * above that each attempt uses a 64-bit word {@code (hi << 32) | lo}, high word drawn first.
     * {@code max == 0} returns 0 without consuming any randomness.
     *
     * @param max the inclusive upper bound, non-negative
     * @return a uniform integer in {@code [0, max]}
     * @throws IllegalArgumentException if {@code max < 0}
     */
    public long randomInterval(long max) {
        if (max < 0) {
            throw new IllegalArgumentException(
                    "NumpyRandom.randomInterval: max must be >= 0, got " + max);
        }
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= UINT32_MAX) {
            do {
                value = nextInt32() & mask;
            } while (value > max);
        } else {
            do {
                // Sequenced statements: the hi word must be consumed before the lo word.
                long hi = nextInt32();
                long lo = nextInt32();
                value = ((hi << 32) | lo) & mask;
            } while (value > max);
        }
        return value;
    }

    /**
     * Returns a uniform integer in {@code [low, high)}, like {@code np.random.randint(low, high)}
     * with numpy's default integer dtype (masked rejection on {@code high - low - 1}, the same
     * stream consumption as {@link #randomInterval(long)}). A range of one value consumes no
     * randomness, as in numpy.
     *
     * @param low the lower bound (inclusive)
     * @param high the upper bound (exclusive)
     * @return a uniform integer in {@code [low, high)}
     * @throws IllegalArgumentException if {@code low >= high}
     */
    public int randint(int low, int high) {
        if (low >= high) {
            throw new IllegalArgumentException(
                    "NumpyRandom.randint: low must be < high, got low=" + low + ", high=" + high);
        }
        return (int) (low + randomInterval((long) high - low - 1));
    }

    /**
     * Returns a random permutation of {@code 0 .. n-1}, like {@code np.random.permutation(n)}
     * (which shuffles {@code np.arange(n)}).
     *
     * @param n the length, non-negative
     * @return a new array holding a permutation of {@code 0 .. n-1}
     * @throws IllegalArgumentException if {@code n < 0} (numpy would return an empty array)
     */
    public int[] permutation(int n) {
        checkSize("permutation", n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        shuffle(out);
        return out;
    }

    /**
     * Shuffles the array in place like {@code np.random.shuffle} on a 1-D array: a Fisher-Yates
     * pass from the last index down to 1, swapping {@code a[i]} with {@code a[randomInterval(i)]}.
     *
     * @param a the array to shuffle
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Shuffles the array in place like {@code np.random.shuffle} on a 1-D array; see {@link
     * #shuffle(int[])}.
     *
     * @param a the array to shuffle
     */
    public void shuffle(double[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Shuffles the list in place like {@code np.random.shuffle} on a Python list of the same
     * length; see {@link #shuffle(int[])}. The list must support {@code set}.
     *
     * @param list the list to shuffle
     * @param <T> the element type
     */
    public <T> void shuffle(List<T> list) {
        int n = list.size();
        if (list instanceof RandomAccess) {
            for (int i = n - 1; i >= 1; i--) {
                int j = (int) randomInterval(i);
                list.set(i, list.set(j, list.get(i)));
            }
            return;
        }
        // Positional access on a linked list is O(n); shuffle a copy and write it back in one pass.
        Object[] arr = list.toArray();
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            Object t = arr[i];
            arr[i] = arr[j];
            arr[j] = t;
        }
        ListIterator<T> it = list.listIterator();
        for (Object e : arr) {
            it.next();
            @SuppressWarnings("unchecked")
            T te = (T) e;
            it.set(te);
        }
    }

    /**
     * Natural logarithm of a positive normal double, correctly rounded (it is carried to about 100
     * bits, so only an argument whose log lies within ~2^-100 of a midpoint between doubles could
     * round the wrong way).
     *
     * <p>Neither {@code Math.log} nor {@code StrictMath.log} will do here: both may be off by one
     * ulp, in different places on different JVMs, and numpy feeds {@code log} straight into every
     * gaussian. Rounding correctly makes this class give the same bits on every JVM and agree with
     * numpy wherever the C library's {@code log} is itself correctly rounded.
     *
     * <p>Method: {@code x = 2^k m} with {@code m} in {@code (sqrt(1/2), sqrt(2)]}, {@code c} the
     * nearest multiple of 1/64 to {@code m}, and {@code log x = k ln2 + log c + 2 atanh((m - c) / (m
     * + c))}, everything in double-double arithmetic (about 100 bits) before the one final rounding.
     */
    private double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int k = (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
        if (m > SQRT2) {
            m *= 0.5;
            k++;
        }
        int i = (int) Math.rint((m - 1.0) * 64.0);
        atanhLog(m, 1.0 + i / 64.0, ATANH_TERMS_FAST, scratch);
        // k * ln2 as double-double; k is a small integer so k * LN2_HI's error is captured by fma.
        double ah = k * LN2_HI;
        double al = Math.fma(k, LN2_HI, -ah) + k * LN2_LO;
        // Add log(c) from the table, then log(m / c).
        double bh = LOGC_HI[i + LOGC_OFFSET];
        double sh = ah + bh;
        double sl = twoSumLo(ah, bh, sh) + al + LOGC_LO[i + LOGC_OFFSET];
        double th = sh + scratch[0];
        double tl = twoSumLo(sh, scratch[0], th) + sl + scratch[1];
        return th + tl;
    }

    /**
     * Stores {@code log(m / c) = 2 atanh((m - c) / (m + c))} as a double-double in {@code out}.
     * Requires {@code c / 2 <= m <= 2 c} so that {@code m - c} is exact.
     */
    private static void atanhLog(double m, double c, int terms, double[] out) {
        double num = m - c;
        double dh = m + c;
        double dl = twoSumLo(m, c, dh);
        double sh = num / dh;
        // The remainder num - sh * dh is exact under fma, which is what makes s good to ~104 bits.
        double sl = (Math.fma(-sh, dh, num) - sh * dl) / dh;
        double zh = sh * sh;
        double zl = Math.fma(sh, sh, -zh) + 2.0 * sh * sl;
        // atanh(s) / s = sum z^j / (2j + 1), by Horner in double-double.
        double ph = COEF_HI[terms - 1];
        double pl = COEF_LO[terms - 1];
        for (int j = terms - 2; j >= 0; j--) {
            double qh = ph * zh;
            double ql = Math.fma(ph, zh, -qh) + (ph * zl + pl * zh);
            double rh = qh + COEF_HI[j];
            double rl = twoSumLo(qh, COEF_HI[j], rh) + ql + COEF_LO[j];
            ph = rh + rl;
            pl = rl - (ph - rh);
        }
        double h = ph * sh;
        double l = Math.fma(ph, sh, -h) + (ph * sl + pl * sh);
        double rh = h + l;
        out[0] = 2.0 * rh;
        out[1] = 2.0 * (l - (rh - h));
    }

    /** The rounding error of {@code s = a + b} (Knuth's TwoSum), exact for any magnitudes. */
    private static double twoSumLo(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    private int next32() {
        if (pos >= N) {
            reload();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void reload() {
        int kk;
        int y;
        for (kk = 0; kk < N - M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        pos = 0;
    }

    private static void checkScale(String method, double scale) {
        // numpy rejects any scale with the sign bit set, including -0.0, but lets NaN through.
        if (scale < 0 || (scale == 0.0 && 1.0 / scale < 0)) {
            throw new IllegalArgumentException(
                    "NumpyRandom." + method + ": scale must be >= 0, got " + scale);
        }
    }

    private static void checkSize(String method, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(
                    "NumpyRandom." + method + ": size must be >= 0, got " + n);
        }
    }

    private static void checkSize(String method, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(
                    "NumpyRandom." + method + ": rows and cols must be >= 0, got " + rows + "x" + cols);
        }
    }
}
