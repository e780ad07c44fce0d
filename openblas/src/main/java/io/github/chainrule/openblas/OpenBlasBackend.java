package io.github.chainrule.openblas;

import io.github.chainrule.autodiff.GemmBackend;
import java.util.concurrent.ForkJoinPool;
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
 * {@code OPENBLAS_NUM_THREADS}, else {@link #DEFAULT_THREADS} (every core); {@link #threads()} shows
 * it, {@link #threads(int)} changes it, and {@link #description()} says it. Products of
 * {@link #SPLIT_MIN_WORK} or more multiply-adds are split over up to that many threads (blocks of at
 * least 32 rows or columns of C; no split when the common ForkJoin pool has no threads), copies included,
 * each block of C one OpenBLAS call on 1 thread (OpenBLAS's own pool is not used; see
 * {@link #DEFAULT_THREADS}).</li>
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
     * Default threads: every core ({@code Runtime.availableProcessors()}). OpenBLAS's own thread
     * pool is never used (it is held to 1 thread): on the project's 2-core benchmark machine,
     * shared with other work, its 2 threads collapsed whenever the other core was busy, as they
     * wait for each other at every block (256³ fell from 44.7 GFLOP/s on 1 thread to 2.0). Large
     * products are instead split by chainrule ({@link #SPLIT_MIN_WORK}): the copies and one block of
     * C per thread, computed by separate 1-thread OpenBLAS calls on the caller and the common
     * ForkJoin pool, which degrades gracefully. The 8 products of an MLP 784-256-128-10 training
     * step took 3.5 ms on 1 thread and 2.5 on 2 at batch 128, 11.0 and 6.9 ms at batch 512; with
     * the other core kept busy by another process, 2 threads took 3.0–3.6 ms and 10.9–11.4 ms, level
     * with 1 thread.
     */
    public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

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
     * The common ForkJoin pool's threads: its parallelism, or 0 when
     * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0} leaves it without any
     * ({@code getCommonPoolParallelism()} then still says 1). Tasks given to such a pool run only when
     * joined, so a split product's helpers would wait there holding its operands, and a parallel
     * stream joining its own tasks behind them hung: products are then not split.
     */
    private static final int POOL_THREADS =
            "0".equals(System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "").trim()) ? 0
                    : ForkJoinPool.getCommonPoolParallelism();

    /** Products split into two or more blocks so far, and blocks that a pool thread computed (tests read them). */
    static final LongAdder SPLIT_PRODUCTS = new LongAdder(), BLOCKS_BY_HELPERS = new LongAdder();

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
            int parts = Math.min(threads, 1 + POOL_THREADS);
            if (parts > 1 && (long) m * n * k >= SPLIT_MIN_WORK) {
                new SplitProduct(ta, tb, a, (int) sizeA, pa, aCols, b, (int) sizeB, pb, bCols, c, pc, m, n, k, parts)
                        .runOn(parts - 1);
            } else {
                pa.put(a, 0, (int) sizeA);
                pb.put(b, 0, (int) sizeB);
                gemm(ta, tb, pa, aCols, pb, bCols, pc, n, m, n, k);
                pc.get(c, 0, (int) sizeC);
            }
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
     * One product over {@code parts} threads: the caller and {@code parts − 1} tasks on the common
     * {@link ForkJoinPool} claim units of work in turn. The first {@code parts} units each copy a
     * share of A and of B into the off-heap buffers; once all are copied, each of the next
     * {@code parts} computes a block of C's rows (or, when C has few rows, columns) with one
     * {@code cblas_dgemm} on 1 OpenBLAS thread and copies it back. So the copies, a fifth to a third
     * of a product's time when one thread made them all, are shared as well; one block per thread
     * keeps OpenBLAS's packing of the shared operand to once per thread (eight narrower blocks
     * packed it eight times and gained nothing at batch 128). A helper that starts late (its core
     * busy) costs nothing but waiting: the caller claims what is left, and nobody waits for a helper
     * that claimed nothing. Every element is computed by one call over the whole inner dimension,
     * but OpenBLAS may pick another kernel for a narrower block, so results can differ from a
     * 1-thread product in the last bits (up to 8.5e-14 measured at 300³).
     */
    private static final class SplitProduct implements Runnable {
        /** Below this many rows, C is split into blocks of columns. */
        private static final int MIN_ROWS = 64;
        private final boolean ta, tb, alongRows;
        private final double[] a, b, c;
        private final int sizeA, sizeB, lda, ldb, m, n, k, parts;
        private final DoublePointer pa, pb, pc;
        private final AtomicInteger next = new AtomicInteger(), copied = new AtomicInteger(),
                computed = new AtomicInteger();
        private volatile Throwable failure;
        private final Thread caller = Thread.currentThread();

        SplitProduct(boolean ta, boolean tb, double[] a, int sizeA, DoublePointer pa, int lda, double[] b, int sizeB,
                DoublePointer pb, int ldb, double[] c, DoublePointer pc, int m, int n, int k, int parts) {
            this.ta = ta;
            this.tb = tb;
            this.a = a;
            this.sizeA = sizeA;
            this.pa = pa;
            this.lda = lda;
            this.b = b;
            this.sizeB = sizeB;
            this.pb = pb;
            this.ldb = ldb;
            this.c = c;
            this.pc = pc;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alongRows = m >= MIN_ROWS;
            this.parts = Math.max(1, Math.min(parts, (alongRows ? m : n) / 32)); // blocks of 32+ rows or columns
        }

        /** Runs the product here and on {@code helpers} pool tasks; returns when all of C is back. */
        void runOn(int helpers) {
            if (parts > 1) {
                SPLIT_PRODUCTS.increment();
            }
            for (int i = 0; i < Math.min(helpers, parts - 1); i++) {
                ForkJoinPool.commonPool().execute(this);
            }
            run();
            await(computed, parts);
            if (failure != null) {
                throw new IllegalStateException("openblas multiply: a split product failed", failure);
            }
        }

        @Override
        public void run() {
            for (int u; (u = next.getAndIncrement()) < 2 * parts;) {
                try {
                    if (u < parts) {
                        copyIn(u);
                    } else {
                        await(copied, parts);
                        computeBlock(u - parts);
                        if (Thread.currentThread() != caller) {
                            BLOCKS_BY_HELPERS.increment();
                        }
                    }
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    (u < parts ? copied : computed).incrementAndGet();
                }
            }
        }

        private void copyIn(int part) {
            int fromA = share(sizeA, part), toA = share(sizeA, part + 1);
            int fromB = share(sizeB, part), toB = share(sizeB, part + 1);
            pa.getPointer(fromA).put(a, fromA, toA - fromA);
            pb.getPointer(fromB).put(b, fromB, toB - fromB);
        }

        private void computeBlock(int part) {
            int extent = alongRows ? m : n;
            int from = share(extent, part), len = share(extent, part + 1) - from;
            if (alongRows) { // C[from.., :] = op(A)[from.., :] · op(B): a contiguous block of C
                long at = (long) from * n;
                gemm(ta, tb, pa.getPointer(ta ? from : (long) from * lda), lda, pb, ldb, pc.getPointer(at), n, len, n,
                        k);
                pc.getPointer(at).get(c, (int) at, len * n);
            } else { // C[:, from..] = op(A) · op(B)[:, from..]: a piece of every row
                gemm(ta, tb, pa, lda, pb.getPointer(tb ? (long) from * ldb : from), ldb, pc.getPointer(from), n, m, len,
                        k);
                for (int i = 0; i < m; i++) {
                    long at = (long) i * n + from;
                    pc.getPointer(at).get(c, (int) at, len);
                }
            }
        }

        /** Where share {@code part} of {@code size} items begins (share {@code parts} ends them). */
        private int share(int size, int part) {
            return (int) ((long) size * part / parts);
        }

        private static void await(AtomicInteger count, int target) {
            for (int spins = 0; count.get() < target; spins++) {
                if (spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
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
