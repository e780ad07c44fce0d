package io.github.chainrule.openblas;

import io.github.chainrule.autodiff.GemmBackend;
import java.util.concurrent.atomic.LongAdder;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The {@code "openblas"} matrix-multiply backend: {@code C = op(A)·op(B)} (see {@link GemmBackend}
 * for the math and shapes) through OpenBLAS's {@code cblas_dgemm} with {@code CblasRowMajor} and
 * the transposes passed as flags, shipped in Maven jars ({@code org.bytedeco:openblas}, BLAS only,
 * no LAPACK), so no system package is needed.
 *
 * <p>How it calls OpenBLAS:
 * <ul>
 * <li><b>Operands are copied</b> into per-thread off-heap buffers (three {@link DoublePointer}s,
 * grown as needed and kept), and C back. The library's own {@code double[]} overloads copy each
 * array into a fresh native block on every call, which made small products several times slower.</li>
 * <li><b>Small products stay in Java</b> ({@link #prefers}): below {@link #minWork()} multiply-adds
 * (m·n·k), or with an inner dimension of 1 or 2 and a wide C, a native call and the copies cost more
 * than chainrule's pure-Java kernel (thresholds measured: see {@link #DEFAULT_MIN_WORK}).</li>
 * <li><b>Threads</b>: OpenBLAS's own pool: {@value #THREADS_PROPERTY}, else the environment's
 * {@code OPENBLAS_NUM_THREADS}, else {@link #DEFAULT_THREADS} (1); {@link #threads()} shows it
 * and {@link #threads(int)} changes it, and {@link #description()} says it.</li>
 * </ul>
 *
 * <p>Loading: the constructor loads the native library ({@code org.bytedeco.javacpp.Loader}), which
 * first extracts about 40 MB into {@code ~/.javacpp/cache} (once; moved with
 * {@code -Dorg.bytedeco.javacpp.cachedir=DIR}) and takes 0.1–0.3 s. When there is no native jar for this
 * OS and CPU it throws, and chainrule falls back to pure Java with one line on standard error.
 * {@code -Dorg.bytedeco.javacpp.pathsFirst=true} would make it prefer a system OpenBLAS silently;
 * leave it unset. Do not load netlib's JNI BLAS in the same JVM (the two crashed together).
 */
public final class OpenBlasBackend implements GemmBackend {
    /** The backend's name: {@value}. */
    public static final String NAME = "openblas";
    /** System property: OpenBLAS threads (default {@link #DEFAULT_THREADS}): {@value}. */
    public static final String THREADS_PROPERTY = "chainrule.openblas.threads";
    /**
     * System property: the fewest multiply-adds (m·n·k) a product needs to go through OpenBLAS
     * rather than pure Java, {@value}; 0 sends every product through OpenBLAS (tests use it).
     */
    public static final String MIN_WORK_PROPERTY = "chainrule.openblas.minWork";
    /**
     * Default {@link #minWork()}: 512 = 8³ multiply-adds. Measured per call, copies included, on
     * the project's 2-core benchmark machine (AVX-512, JDK 17, OpenBLAS on 1 thread): 4³ pure Java
     * 0.05 µs against 0.12; 6³ tied at 0.14–0.16; 8³ 0.18–0.22 against 0.15–0.16, and OpenBLAS
     * ahead from there (16³ 2.5×, 64³ 2.6×). With an inner dimension of 1 or 2 and a wide C, pure
     * Java tied or won: (4×2)·(2×400) 0.47 µs against 0.45, (16×2)·(2×400) 1.8 against 2.8,
     * (64×2)·(2×64) 1.4 against 1.7; narrow ones went to OpenBLAS: the planar net's
     * {@code dW = dZ·Xᵀ} (4×400)·(400×2) 1.3 µs against 0.33.
     */
    public static final long DEFAULT_MIN_WORK = 512;

    /**
     * Default threads: 1, not OpenBLAS's own default of one per core. Measured on the project's
     * 2-core benchmark machine shared with other builds: 2 threads collapsed whenever the other
     * core was busy (256³ fell from 39 GFLOP/s on 1 thread to 1.1, the MLP step at batch 128 from
     * 10347 samples/s to 1483), as OpenBLAS's threads wait for each other at every block; and the
     * MLP's products gained little from a second thread even on an idle machine. Set
     * {@value #THREADS_PROPERTY} (or {@code OPENBLAS_NUM_THREADS}) to 2 or more for large products on
     * cores of your own.
     */
    public static final int DEFAULT_THREADS = 1;

    /** Products computed by OpenBLAS in this JVM (tests check that the forced backend ran). */
    static final LongAdder CALLS = new LongAdder();

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final long minWork;
    private volatile int threads;
    private final String bindings;
    private final boolean pathsFirst;

    /**
     * Loads OpenBLAS (extracting it on first use) and applies {@value #THREADS_PROPERTY}.
     *
     * @throws UnsatisfiedLinkError when there is no OpenBLAS for this OS and CPU
     * @throws IllegalArgumentException when {@value #THREADS_PROPERTY} or {@value #MIN_WORK_PROPERTY}
     *     is not a number
     */
    public OpenBlasBackend() {
        Loader.load(openblas_nolapack.class);
        String t = System.getProperty(THREADS_PROPERTY);
        String env = System.getenv("OPENBLAS_NUM_THREADS");
        int n = t != null && !t.isBlank() ? parse("-D" + THREADS_PROPERTY, t)
                : env != null && !env.isBlank() ? parse("OPENBLAS_NUM_THREADS", env)
                : DEFAULT_THREADS;
        if (n < 1) {
            throw new IllegalArgumentException("OpenBLAS threads: " + n + " (from " + (t != null ? "-D" + THREADS_PROPERTY
                    : "OPENBLAS_NUM_THREADS") + "): need 1 or more");
        }
        openblas_nolapack.blas_set_num_threads(n);
        threads = n;
        String w = System.getProperty(MIN_WORK_PROPERTY);
        minWork = w == null || w.isBlank() ? DEFAULT_MIN_WORK : parse("-D" + MIN_WORK_PROPERTY, w);
        String v;
        try {
            v = Loader.getVersion();
        } catch (java.io.IOException e) {
            v = "version unknown";
        }
        bindings = v;
        pathsFirst = Boolean.parseBoolean(System.getProperty("org.bytedeco.javacpp.pathsFirst",
                System.getProperty("org.bytedeco.javacpp.pathsfirst", "false")));
    }

    private static int parse(String property, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + value + ": not a whole number", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return e.g. "openblas: OpenBLAS 0.3.31 (org.bytedeco 1.5.13, linux-x86_64), 2 threads, products of 512+ multiply-adds"} */
    @Override
    public String description() {
        return NAME + ": OpenBLAS " + openblas_nolapack.OPENBLAS_VERSION.trim().replaceFirst("^OpenBLAS ", "")
                + " (org.bytedeco " + bindings + ", " + Loader.getPlatform() + "), " + threads + " thread"
                + (threads == 1 ? "" : "s") + ", products of " + minWork + "+ multiply-adds"
                + (pathsFirst ? " (pathsFirst is set: this may be a system BLAS, not the bundled one)" : "");
    }

    /**
     * The threads OpenBLAS uses for a large product: {@value #THREADS_PROPERTY}, else the
     * environment's {@code OPENBLAS_NUM_THREADS}, else {@link #DEFAULT_THREADS}, unless changed
     * by {@link #threads(int)}.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Sets the threads OpenBLAS uses from now on (benchmarks compare 1 and 2). Call it between
     * products, not while one runs.
     *
     * @param n 1 or more
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public synchronized void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("OpenBlasBackend.threads(" + n + "): need 1 or more threads");
        }
        openblas_nolapack.blas_set_num_threads(n);
        threads = n;
    }

    /**
     * The fewest multiply-adds (m·n·k) for which chainrule sends a product here.
     *
     * @return {@value #MIN_WORK_PROPERTY}, or {@link #DEFAULT_MIN_WORK}
     */
    public long minWork() {
        return minWork;
    }

    /**
     * Products of {@link #minWork()} multiply-adds or more, except those with an inner dimension
     * of 1 or 2 and C 16 or more columns wide, where pure Java's blocked kernel is a single
     * vectorized pass; with {@link #minWork()} 0, every product.
     */
    @Override
    public boolean prefers(int m, int n, int k) {
        return minWork == 0 || (long) m * n * k >= minWork && !(k <= 2 && n >= 16);
    }

    @Override
    public void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c) {
        int m = ta ? aCols : aRows, k = ta ? aRows : aCols, n = tb ? bRows : bCols;
        if ((tb ? bCols : bRows) != k) {
            throw new IllegalArgumentException("openblas multiply: inner dimensions differ: op(A) is " + m + "×" + k
                    + ", op(B) is " + (tb ? bCols : bRows) + "×" + n + " (ta=" + ta + ", tb=" + tb + ")");
        }
        long sizeA = (long) aRows * aCols, sizeB = (long) bRows * bCols, sizeC = (long) m * n;
        if (aRows < 0 || aCols < 0 || bRows < 0 || bCols < 0 || a.length < sizeA || b.length < sizeB
                || c.length < sizeC) {
            throw new IllegalArgumentException("openblas multiply: arrays shorter than their shapes: A "
                    + aRows + "×" + aCols + " in " + a.length + ", B " + bRows + "×" + bCols + " in " + b.length
                    + ", C " + m + "×" + n + " in " + c.length);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, 0, (int) sizeC, 0.0);
            return;
        }
        Buffers buf = BUFFERS.get();
        DoublePointer pa = buf.a = fit(buf.a, sizeA), pb = buf.b = fit(buf.b, sizeB), pc = buf.c = fit(buf.c, sizeC);
        pa.put(a, 0, (int) sizeA);
        pb.put(b, 0, (int) sizeB);
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
                ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1.0, pa, aCols, pb, bCols, 0.0, pc, n);
        pc.get(c, 0, (int) sizeC);
        CALLS.increment();
    }

    /** A buffer of at least {@code size} doubles: {@code p} itself, or a larger one replacing it. */
    private static DoublePointer fit(DoublePointer p, long size) {
        if (p != null && p.capacity() >= size) {
            return p;
        }
        long grown = Math.max(size, p == null ? 1024 : Math.min(Integer.MAX_VALUE, 2 * p.capacity()));
        if (p != null) {
            p.close();
        }
        return new DoublePointer(grown);
    }

    /** A thread's off-heap operand buffers, grown on demand and kept. */
    private static final class Buffers {
        DoublePointer a, b, c;
    }

    @Override
    public String toString() {
        return description();
    }
}
