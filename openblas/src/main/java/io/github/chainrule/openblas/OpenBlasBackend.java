package io.github.chainrule.openblas;

import io.github.chainrule.autodiff.GemmBackend;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 * <li><b>Operands are copied</b> into off-heap buffers (three {@link DoublePointer}s, grown as
 * needed, lent to one product at a time and kept for the next), and C back. The library's own {@code double[]} overloads copy each
 * array into a fresh native block on every call, which made small products several times slower.</li>
 * <li><b>Small products stay in Java</b> ({@link #prefers}): below {@link #minWork()} multiply-adds
 * (m·n·k), or with an inner dimension of 1 or 2 and a wide C, a native call and the copies cost more
 * than chainrule's pure-Java kernel (thresholds measured: see {@link #DEFAULT_MIN_WORK}).</li>
 * <li><b>Threads</b>: {@value #THREADS_PROPERTY}, else the environment's
 * {@code OPENBLAS_NUM_THREADS}, else {@link #DEFAULT_THREADS} (1); {@link #threads()} shows it,
 * {@link #threads(int)} changes it, and {@link #description()} says it. Products of
 * {@link #SPLIT_MIN_WORK} or more multiply-adds are split over that many threads, each chunk one
 * OpenBLAS call on 1 thread (OpenBLAS's own pool is not used; see {@link #DEFAULT_THREADS}).</li>
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
    /** System property: threads a large product is split over (default {@link #DEFAULT_THREADS}): {@value}. */
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
     * Default threads: 1. OpenBLAS's own thread pool is never used (it is held to 1 thread):
     * on the project's 2-core benchmark machine, shared with other builds, its 2 threads collapsed
     * whenever the other core was busy, as they wait for each other at every block (256³ fell from
     * 44.7 GFLOP/s on 1 thread to 2.0; chainrule's MLP step at batch 128 from 27682 samples/s to
     * 1986). With {@link #threads()} above 1, large products are instead split into chunks that
     * separate 1-thread OpenBLAS calls compute on the caller and on the common ForkJoin pool, which
     * degrades gracefully when a core is busy; on that loaded machine it was still 13–20% slower
     * than 1 thread for the MLP step, hence the default.
     */
    public static final int DEFAULT_THREADS = 1;

    /**
     * Products with at least this many multiply-adds (m·n·k) are split over {@link #threads()}
     * threads: 2²² = 128×256×128, the threshold of chainrule's pure-Java kernel.
     */
    public static final long SPLIT_MIN_WORK = 1L << 22;

    /** Products computed by OpenBLAS in this JVM (tests check that the forced backend ran). */
    static final LongAdder CALLS = new LongAdder();
    /** How many sets of operand buffers were ever created (tests: products on pool threads reuse them). */
    static final AtomicInteger BUFFERS_CREATED = new AtomicInteger();

    /**
     * Off-heap operand buffers lent to one product at a time and given back after it, not kept per
     * thread: the common pool's workers lose their thread-locals whenever they go idle (JDK 17), so
     * per-thread buffers were allocated anew for almost every product run in a parallel stream or a
     * {@code CompletableFuture}; and a product's buffers stay its own while helper threads read them.
     */
    private static final AtomicReferenceArray<Buffers> LENT = new AtomicReferenceArray<>(4);

    private final long minWork;
    private volatile int threads;
    private final String bindings;
    private final boolean pathsFirst;

    /**
     * Loads OpenBLAS (extracting it on first use), holds its own pool to 1 thread, and reads
     * {@value #THREADS_PROPERTY} and {@value #MIN_WORK_PROPERTY}.
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
            throw new IllegalArgumentException("OpenBLAS threads: " + n + " (from " + (t != null && !t.isBlank()
                    ? "-D" + THREADS_PROPERTY : "OPENBLAS_NUM_THREADS") + "): need 1 or more");
        }
        openblas_nolapack.blas_set_num_threads(1);
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
     * The threads a large product is split over: {@value #THREADS_PROPERTY}, else the
     * environment's {@code OPENBLAS_NUM_THREADS}, else {@link #DEFAULT_THREADS}, unless changed
     * by {@link #threads(int)}.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Sets the threads large products are split over from now on (benchmarks compare 1 and 2).
     *
     * @param n 1 or more
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public synchronized void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("OpenBlasBackend.threads(" + n + "): need 1 or more threads");
        }
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
        Buffers buf = borrow();
        try {
            DoublePointer pa = buf.a = fit(buf.a, sizeA), pb = buf.b = fit(buf.b, sizeB);
            DoublePointer pc = buf.c = fit(buf.c, sizeC);
            pa.put(a, 0, (int) sizeA);
            pb.put(b, 0, (int) sizeB);
            int helpers = threads - 1;
            if (helpers > 0 && (long) m * n * k >= SPLIT_MIN_WORK) {
                split(ta, tb, pa, aCols, pb, bCols, pc, m, n, k, helpers);
            } else {
                gemm(ta, tb, pa, aCols, pb, bCols, pc, n, m, n, k);
            }
            pc.get(c, 0, (int) sizeC);
        } finally {
            giveBack(buf);
        }
        CALLS.increment();
    }

    /** Buffers from {@link #LENT}, or new empty ones. */
    private static Buffers borrow() {
        for (int i = 0; i < LENT.length(); i++) {
            Buffers b = LENT.getAndSet(i, null);
            if (b != null) {
                return b;
            }
        }
        BUFFERS_CREATED.incrementAndGet();
        return new Buffers();
    }

    /** Returns buffers to {@link #LENT}; when every slot is taken, frees their native memory now. */
    private static void giveBack(Buffers b) {
        for (int i = 0; i < LENT.length(); i++) {
            if (LENT.compareAndSet(i, null, b)) {
                return;
            }
        }
        for (DoublePointer p : new DoublePointer[] {b.a, b.b, b.c}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** One {@code cblas_dgemm} on 1 OpenBLAS thread: an m×n block of C at {@code pc} (row stride ldc). */
    private static void gemm(boolean ta, boolean tb, DoublePointer pa, int lda, DoublePointer pb, int ldb,
            DoublePointer pc, int ldc, int m, int n, int k) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
                ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1.0, pa, lda, pb, ldb, 0.0, pc, ldc);
    }

    /**
     * C in chunks along its longer side, each one {@code cblas_dgemm} on 1 OpenBLAS thread, taken
     * in turn by the caller and {@code helpers} tasks on the common {@link ForkJoinPool}. With
     * several chunks per thread, a helper that starts late (its core busy) costs little: the caller
     * takes the chunks, and joining a task that never started runs it here, where it finds none
     * left. Every element is computed by one call over the whole inner dimension, but OpenBLAS may
     * pick another kernel for a narrower chunk, so results can differ from a 1-thread product in the
     * last bits (up to 8.5e-14 measured at 300³).
     */
    private static void split(boolean ta, boolean tb, DoublePointer pa, int lda, DoublePointer pb, int ldb,
            DoublePointer pc, int m, int n, int k, int helpers) {
        boolean alongN = n >= m;
        int extent = alongN ? n : m;
        int chunks = Math.min(4 * (helpers + 1), Math.max(1, extent / 32));
        int size = ((extent + chunks - 1) / chunks + 7) & ~7;
        int count = (extent + size - 1) / size;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int t; (t = next.getAndIncrement()) < count;) {
                int from = t * size, len = Math.min(extent, from + size) - from;
                if (alongN) {
                    // C[:, from..] = op(A) · op(B)[:, from..]
                    gemm(ta, tb, pa, lda, pb.getPointer(tb ? (long) from * ldb : from), ldb, pc.getPointer(from), n,
                            m, len, k);
                } else {
                    // C[from.., :] = op(A)[from.., :] · op(B)
                    gemm(ta, tb, pa.getPointer(ta ? from : (long) from * lda), lda, pb, ldb,
                            pc.getPointer((long) from * n), n, len, n, k);
                }
            }
        };
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[helpers];
        for (int i = 0; i < helpers; i++) {
            others[i] = ForkJoinPool.commonPool().submit(work);
        }
        work.run();
        for (ForkJoinTask<?> o : others) {
            o.join();
        }
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

    /** One product's off-heap operand buffers, grown on demand and kept in {@link #LENT}. */
    private static final class Buffers {
        DoublePointer a, b, c;
    }

    @Override
    public String toString() {
        return description();
    }
}
