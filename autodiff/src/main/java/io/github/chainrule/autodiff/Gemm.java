package io.github.chainrule.autodiff;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single matrix-multiply kernel every product goes through, {@code C = op(A)·op(B)} on
 * row-major arrays, where {@code op} optionally transposes. Pure Java: no native code, no JVM
 * flags, no dependency (it replaced EJML, 5–8× slower here). A faster {@link GemmBackend} (the
 * optional {@code chainrule-openblas} module) takes over products large enough to gain from it, chosen
 * by {@link GemmBackends}, without touching any operation.
 *
 * <p>How it works:
 * <ul>
 * <li><b>Blocked and packed.</b> {@code op(B)} is copied, up to {@link #KC} rows × {@link #NC}
 * columns at a time, into the rows of a panel; that copy is where {@code tb} is folded in, so
 * {@code A·Bᵀ} (the weight gradient {@code dZ·Aᵀ}) costs what {@code A·B} costs and no transposed
 * matrix is ever built. Elements of {@code op(A)} are read as scalars (eight per pass over two
 * panel rows), so {@code ta} is only an index computation. Four rows of C at a time are
 * accumulated in per-thread buffers and copied back.</li>
 * <li><b>Micro-kernel.</b> {@link GemmKernel}: four accumulator rows × two k-steps, a branch-free
 * stand-alone loop over arrays indexed from 0, the shape C2 (JDK 17) vectorizes. It uses
 * {@link Math#fma} only when the CPU has FMA ({@link #FMA}, see {@link Fma}); elsewhere
 * {@code Math.fma} is a slow exact computation, so a multiply-add loop runs instead.</li>
 * <li><b>Swapped orientation</b> for tall narrow outputs ({@link #SWAP_BELOW}): computes Cᵀ so
 * that the vectorized loop runs along the longer side.</li>
 * <li><b>Simple path</b>: a dot product per element for tiny products ({@link #SMALL}), outputs
 * with fewer than 4 columns (matrix-vector products; the planar net's {@code dW = dZ·Xᵀ}, 4 × 2
 * with k = 400) and short ones with fewer than 4 rows ({@link #NARROW}). An inner dimension ≤ 2
 * with a wide output (the planar net's {@code W·X}, (4×2)·(2×400)) stays on the blocked path:
 * measured there 0.43 µs against 1.1 µs for a simple loop, as that is one vectorized pass.</li>
 * <li><b>Two threads</b> for large products only ({@code m·n·k ≥} {@link #PARALLEL}): the caller
 * and one task on the common {@link ForkJoinPool} share the output in a few chunks
 * ({@link Product#parallel()}). Below the threshold waking the pool costs more than it
 * saves.</li>
 * </ul>
 * Results match a naive loop to rounding (the summation order differs), and the two-thread
 * path gives bit-identical results to the single-thread one (each element is summed in the same
 * order either way).
 */
final class Gemm {
    /** Depth of a packed panel (rows of op(B)). */
    static final int KC = 256;
    /**
     * Width of a packed panel (columns of op(B)); KC × NC doubles = 512 KB stays in L2. Strips
     * and depths are split evenly (784 columns: strips of about 200, not 3 × 256 + 16).
     */
    static final int NC = 256;
    /**
     * Products with fewer multiply-adds than this take the simple loop. Measured (same run): 4³
     * simple 0.09 µs, blocked 0.10; 6³ 0.20 against 0.14; 8³ 0.36 against 0.18.
     */
    static final long SMALL = 128;
    /**
     * Outputs with fewer than 4 rows and fewer columns than this also take the simple loop
     * (1×10 with k = 128: simple 1.0 µs, blocked 2.2; 1×32: both 2.3; 2×32: simple 4.5, blocked 2.3).
     */
    static final int NARROW = 16;
    /**
     * Outputs narrower than this (and taller than wide) run swapped, through Cᵀ = op(B)ᵀ·op(A)ᵀ,
     * so that the vectorized loop runs along the longer side. Measured (AVX-512, JDK 17): at
     * 512×32 (k = 256) swapped ran 27 GFLOP/s against 21 plain; at 64 columns both tied; at 128
     * plain won, 33 against 27 (the strided stores of Cᵀ cost more than the longer loop saves).
     */
    static final int SWAP_BELOW = 64;
    /**
     * Products with at least this many multiply-adds (m·n·k) use two threads: 2²² = 128×256×128,
     * where a second thread began to pay on an idle 2-core machine (notes/gemm-facts.md). On a
     * machine loaded by other builds it paid only when a core happened to be free: 1024³ went
     * from 32 to 63 GFLOP/s in one run, and only 2048³ gained in another; from 128×256×128 to
     * 256³ it lost 20–40% there (the common pool's wake-up, a second thread without a core).
     */
    static final long PARALLEL = 1L << 22;
    /** Threads for large products: two, or one on a single-core machine. */
    static final int MAX_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /** Whether the micro-kernel uses {@link Math#fma}; see {@link Fma#detect()}. */
    static final boolean FMA = Fma.detect();

    /**
     * Largest R (in doubles, 2 MB) packed once and shared by two threads splitting rows; larger
     * ones are packed per chunk. (Profiled: each row chunk packing the same panel was the largest
     * cost after the micro-kernel in the MLP step.)
     */
    static final long SHARED_MAX = 1L << 18;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /**
     * Packing buffers lent to {@link Product#blocked} calls, which return them: not per thread,
     * because the common pool's workers lose their thread-locals after every task (JDK 17), so a
     * worker would allocate its 0.5 MB panel again for every product it helps with.
     */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<Buffers> LENT =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(4);
    /** How many packing buffers were ever created (tests: steady-state products create none). */
    static final java.util.concurrent.atomic.AtomicInteger BUFFERS_CREATED = new java.util.concurrent.atomic.AtomicInteger();

    private Gemm() {
    }

    /**
     * C = op(A)·op(B) through the current backend ({@link GemmBackends#current()}) when it
     * {@link GemmBackend#prefers prefers} the product's size, else through the pure-Java kernel
     * below. The choice costs a volatile read and a comparison when pure Java is current.
     */
    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c) {
        GemmBackend backend = GemmBackends.current();
        if (backend != GemmBackends.PURE_JAVA) {
            int m = ta ? aCols : aRows, k = ta ? aRows : aCols, n = tb ? bRows : bCols;
            if ((tb ? bCols : bRows) == k && backend.prefers(m, n, k)) {
                backend.multiply(ta, tb, a, aRows, aCols, b, bRows, bCols, c);
                return;
            }
        }
        multiply(ta, tb, a, aRows, aCols, b, bRows, bCols, c, MAX_THREADS);
    }

    /** As above with at most {@code threads} threads (tests and benchmarks compare 1 and 2). */
    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c, int threads) {
        multiply(ta, tb, a, aRows, aCols, b, bRows, bCols, c, threads, FMA);
    }

    /** As above with the micro-kernel chosen by {@code fma} (tests cover both kernels). */
    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c, int threads, boolean fma) {
        int m = ta ? aCols : aRows, k = ta ? aRows : aCols, n = tb ? bRows : bCols;
        if ((tb ? bCols : bRows) != k) {
            throw new IllegalArgumentException("Gemm: inner dimensions differ: " + k + " and " + (tb ? bCols : bRows));
        }
        if (m == 0 || n == 0) {
            return;
        }
        long work = (long) m * n * k;
        if (work < SMALL || n < 4 || m < 4 && n < NARROW) {
            simple(ta, tb, a, aCols, b, bCols, c, m, n, k);
            return;
        }
        Product p = n < SWAP_BELOW && m > n ? Product.swapped(ta, tb, a, aCols, b, bCols, c, m, n, k, fma)
                : Product.plain(ta, tb, a, aCols, b, bCols, c, m, n, k, fma);
        if (threads > 1 && work >= PARALLEL) {
            p.parallel();
        } else {
            p.blocked(0, p.rows, 0, p.cols);
        }
    }

    /**
     * One product as the blocked loop sees it: {@code Out(i, j) = Σ_p L(i, p)·R(p, j)} for
     * {@code i < rows}, {@code j < cols}, {@code p < k}. L is read as scalars,
     * {@code L(i, p) = l[i·li + p·lp]}; R is packed into panels, {@code R(p, j) = r[p·rCols + j]},
     * or {@code r[j·rCols + p]} when {@code rTrans}; the vectorized loop runs along j.
     *
     * <p>Plain: L = op(A), R = op(B), Out = C. Swapped, for outputs narrower than tall: L = op(B)ᵀ,
     * R = op(A)ᵀ, Out = Cᵀ written through strides, so the vectorized loop runs along the longer
     * side (see {@link #SWAP_BELOW}): a 512 × 32 output gets 512-long loops instead of 32-long
     * ones.
     */
    static final class Product {
        final double[] l, r, c;
        final int li, lp, rCols, rows, cols, k, n;
        final boolean rTrans, outT, fma;

        private Product(double[] l, int li, int lp, double[] r, int rCols, boolean rTrans, double[] c, int n,
                boolean outT, int rows, int cols, int k, boolean fma) {
            this.l = l;
            this.li = li;
            this.lp = lp;
            this.r = r;
            this.rCols = rCols;
            this.rTrans = rTrans;
            this.c = c;
            this.n = n;
            this.outT = outT;
            this.rows = rows;
            this.cols = cols;
            this.k = k;
            this.fma = fma;
        }

        static Product plain(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c, int m,
                int n, int k, boolean fma) {
            return new Product(a, ta ? 1 : aCols, ta ? aCols : 1, b, bCols, tb, c, n, false, m, n, k, fma);
        }

        static Product swapped(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c,
                int m, int n, int k, boolean fma) {
            // L(i, p) = op(B)(p, i); R(p, j) = op(A)(j, p)
            return new Product(b, tb ? bCols : 1, tb ? 1 : bCols, a, aCols, !ta, c, n, true, n, m, k, fma);
        }

        /**
         * Two threads share the output in chunks: the caller and one task on the common pool
         * each take the next chunk until none is left. With a few chunks rather than two halves,
         * a second thread that starts late (the machine busy with other work) costs little: the
         * caller takes its chunks, and joining a task that never started runs it inline, where it
         * finds nothing left. Chunks run along j (multiples of 8 columns, 128 or more each: each
         * chunk packs only its own panels) when the output is 256 or more wide; else along i
         * (multiples of 4 rows, 64 or more each; each chunk packs the same panels, which is why
         * chunks stay large) when there are 128 or more rows; else in two halves along j.
         * (Profiled: splitting {@code dW = dZ·Xᵀ}, 256 × 784 × 128, by rows made both threads pack
         * the transposed panel, 10% of the MLP step.) Each element is summed in the same order
         * whichever chunk or thread computes it, so results do not depend on the split.
         */
        void parallel() {
            boolean alongJ = cols >= 256 || rows < 128;
            int extent = alongJ ? cols : rows, unit = alongJ ? 8 : 4;
            int chunks = alongJ ? Math.max(2, Math.min(8, cols / 128)) : Math.max(2, Math.min(4, rows / 64));
            int size = ((extent + chunks - 1) / chunks + unit - 1) / unit * unit;
            int count = (extent + size - 1) / size;
            AtomicInteger next = new AtomicInteger();
            // row chunks of a single strip share one packing of R, done here before the task starts
            double[][] shared = !alongJ && cols <= NC && (long) (k + 1) * cols <= SHARED_MAX ? packAll() : null;
            Runnable work = () -> {
                for (int t; (t = next.getAndIncrement()) < count;) {
                    int from = t * size, to = Math.min(extent, from + size);
                    if (alongJ) {
                        blocked(0, rows, from, to);
                    } else {
                        blocked(from, to, 0, cols, shared);
                    }
                }
            };
            ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(work);
            work.run();
            other.join();
        }

        /** Out[i0..i1, j0..j1], panels of about NC columns × KC depth, split evenly. */
        void blocked(int i0, int i1, int j0, int j1) {
            blocked(i0, i1, j0, j1, null);
        }

        /**
         * As above; with {@code shared} (all of R, packed once by {@link #packAll}, for a single
         * strip {@code j0 = 0, j1 = cols ≤ NC}) nothing is packed here.
         */
        void blocked(int i0, int i1, int j0, int j1, double[][] shared) {
            int width = j1 - j0;
            int strips = (width + NC - 1) / NC, ncMax = Math.min(width, ((width + strips - 1) / strips + 7) & ~7);
            int depths = (k + KC - 1) / KC, kcMax = Math.min(k, ((k + depths - 1) / depths + 1) & ~1);
            Buffers buf = borrow().fit(kcMax + 1, ncMax);
            try {
                blocked(i0, i1, j0, j1, shared, buf, kcMax, ncMax);
            } finally {
                giveBack(buf);
            }
        }

        private void blocked(int i0, int i1, int j0, int j1, double[][] shared, Buffers buf, int kcMax, int ncMax) {
            double[][] panel = buf.panel;
            double[][] acc = buf.acc;
            double[] acc0 = acc[0], acc1 = acc[1], acc2 = acc[2], acc3 = acc[3];
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    if (shared != null) {
                        panel = Arrays.copyOfRange(shared, pc, pc + kc + 1); // row references only
                    } else {
                        pack(rTrans, r, rCols, pc, kc, jc, nc, panel);
                        if ((kc & 1) != 0) {
                            Arrays.fill(panel[kc], 0, nc, 0.0); // a zero k-step pads an odd depth
                        }
                    }
                    for (int i = i0; i < i1; i += 4) {
                        int group = Math.min(4, i1 - i);
                        if (pc == 0) {
                            for (int g = 0; g < group; g++) {
                                Arrays.fill(acc[g], 0, nc, 0.0);
                            }
                        } else {
                            load(acc, group, i, jc, nc);
                        }
                        // a short last group repeats its last row into the unused accumulators
                        int r0 = i * li, r1 = Math.min(i + 1, i1 - 1) * li;
                        int r2 = Math.min(i + 2, i1 - 1) * li, r3 = Math.min(i + 3, i1 - 1) * li;
                        for (int p = 0; p < kc; p += 2) {
                            int q = (pc + p) * lp, q1 = q + lp;
                            double a00 = l[r0 + q], a10 = l[r1 + q], a20 = l[r2 + q], a30 = l[r3 + q];
                            double a01 = 0, a11 = 0, a21 = 0, a31 = 0;
                            if (p + 1 < kc) {
                                a01 = l[r0 + q1];
                                a11 = l[r1 + q1];
                                a21 = l[r2 + q1];
                                a31 = l[r3 + q1];
                            }
                            if (fma) {
                                GemmKernel.fma4x2(acc0, acc1, acc2, acc3, panel[p], panel[p + 1], nc, a00, a01, a10,
                                        a11, a20, a21, a30, a31);
                            } else {
                                GemmKernel.mulAdd4x2(acc0, acc1, acc2, acc3, panel[p], panel[p + 1], nc, a00, a01,
                                        a10, a11, a20, a21, a30, a31);
                            }
                        }
                        store(acc, group, i, jc, nc);
                    }
                }
            }
        }

        /** All of R (k rows, then a zero row) packed into the calling thread's shared panel. */
        private double[][] packAll() {
            Buffers buf = BUFFERS.get();
            if (buf.shared.length < k + 1 || buf.shared[0].length < cols) {
                buf.shared = new double[Math.max(k + 1, buf.shared.length)][Math.max(cols,
                        buf.shared.length == 0 ? 0 : buf.shared[0].length)];
            }
            double[][] all = buf.shared;
            pack(rTrans, r, rCols, 0, k, 0, cols, all);
            Arrays.fill(all[k], 0, cols, 0.0);
            return all;
        }

        /** acc[g][x] = Out(i + g, jc + x). */
        private void load(double[][] acc, int group, int i, int jc, int nc) {
            for (int g = 0; g < group; g++) {
                double[] row = acc[g];
                if (!outT) {
                    System.arraycopy(c, (i + g) * n + jc, row, 0, nc);
                } else {
                    for (int x = 0, o = jc * n + i + g; x < nc; x++, o += n) {
                        row[x] = c[o];
                    }
                }
            }
        }

        /** Out(i + g, jc + x) = acc[g][x]. */
        private void store(double[][] acc, int group, int i, int jc, int nc) {
            if (!outT) {
                for (int g = 0; g < group; g++) {
                    System.arraycopy(acc[g], 0, c, (i + g) * n + jc, nc);
                }
            } else if (group == 4) {
                double[] acc0 = acc[0], acc1 = acc[1], acc2 = acc[2], acc3 = acc[3];
                for (int x = 0, o = jc * n + i; x < nc; x++, o += n) {
                    c[o] = acc0[x];
                    c[o + 1] = acc1[x];
                    c[o + 2] = acc2[x];
                    c[o + 3] = acc3[x];
                }
            } else {
                for (int g = 0; g < group; g++) {
                    double[] row = acc[g];
                    for (int x = 0, o = jc * n + i + g; x < nc; x++, o += n) {
                        c[o] = row[x];
                    }
                }
            }
        }
    }

    /**
     * C[i0..i1, j0..j1] = op(A)[i0..i1, :] · op(B)[:, j0..j1] on one thread, plain orientation
     * (tests reach the blocked path through this for any shape).
     */
    static void blocked(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c, int n,
            int k, int i0, int i1, int j0, int j1, boolean fma) {
        int m = i1; // rows beyond i1 are not touched
        Product.plain(ta, tb, a, aCols, b, bCols, c, m, n, k, fma).blocked(i0, i1, j0, j1);
    }

    /** As {@link #blocked}, swapped orientation: C's columns j0..j1 and rows i0..i1 through Cᵀ. */
    static void blockedSwapped(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c,
            int m, int n, int k, boolean fma) {
        Product.swapped(ta, tb, a, aCols, b, bCols, c, m, n, k, fma).blocked(0, n, 0, m);
    }

    /** A packing buffer from {@link #LENT}, or a new one. */
    private static Buffers borrow() {
        for (int i = 0; i < LENT.length(); i++) {
            Buffers b = LENT.getAndSet(i, null);
            if (b != null) {
                return b;
            }
        }
        return new Buffers();
    }

    /** Returns a buffer to {@link #LENT} (dropped when all slots are taken). */
    private static void giveBack(Buffers b) {
        for (int i = 0; i < LENT.length(); i++) {
            if (LENT.compareAndSet(i, null, b)) {
                return;
            }
        }
    }

    /** Packing buffers, grown on demand and kept (lent per product, or per thread for the shared panel). */
    private static final class Buffers {
        Buffers() {
            BUFFERS_CREATED.incrementAndGet();
        }

        double[][] panel = new double[0][];
        /** All of R for two-thread row chunks (at most {@link #SHARED_MAX} doubles). */
        double[][] shared = new double[0][];
        final double[][] acc = new double[4][0];

        Buffers fit(int rows, int cols) {
            if (panel.length < rows || panel[0].length < cols) {
                int r = Math.max(rows, panel.length), w = Math.max(cols, panel.length == 0 ? 0 : panel[0].length);
                panel = new double[r][w];
                for (int i = 0; i < 4; i++) {
                    acc[i] = new double[w];
                }
            }
            return this;
        }
    }

    /** Copies op(B)[pc..pc+kc, jc..jc+nc] into the rows of {@code panel}. */
    private static void pack(boolean tb, double[] b, int bCols, int pc, int kc, int jc, int nc, double[][] panel) {
        if (!tb) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, (pc + p) * bCols + jc, panel[p], 0, nc);
            }
        } else {
            // op(B)(p, j) = b[j * bCols + p]: read 8 rows of b, write a cache line of each panel row
            int j = 0;
            for (; j + 8 <= nc; j += 8) {
                int s0 = (jc + j) * bCols + pc, s1 = s0 + bCols, s2 = s1 + bCols, s3 = s2 + bCols;
                int s4 = s3 + bCols, s5 = s4 + bCols, s6 = s5 + bCols, s7 = s6 + bCols;
                for (int p = 0; p < kc; p++) {
                    double[] row = panel[p];
                    row[j] = b[s0 + p];
                    row[j + 1] = b[s1 + p];
                    row[j + 2] = b[s2 + p];
                    row[j + 3] = b[s3 + p];
                    row[j + 4] = b[s4 + p];
                    row[j + 5] = b[s5 + p];
                    row[j + 6] = b[s6 + p];
                    row[j + 7] = b[s7 + p];
                }
            }
            for (; j < nc; j++) {
                int s = (jc + j) * bCols + pc;
                for (int p = 0; p < kc; p++) {
                    panel[p][j] = b[s + p];
                }
            }
        }
    }

    /**
     * The simple path: C(i, j) as a dot product for each element, four partial sums (no
     * packing). For tiny products, and for outputs with fewer than 4 columns (a matrix-vector
     * product; the planar net's weight gradient {@code dZ·Xᵀ}, 4 × 2 with k = 400) or fewer than
     * 4 rows and few columns, where packing costs more than it saves.
     */
    static void simple(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c, int m,
            int n, int k) {
        int ai = ta ? 1 : aCols, ap = ta ? aCols : 1, bp = tb ? 1 : bCols, bj = tb ? bCols : 1;
        int k4 = k & ~3;
        for (int i = 0; i < m; i++) {
            int ra = i * ai;
            for (int j = 0; j < n; j++) {
                int rb = j * bj;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int p = 0;
                for (int x = ra, y = rb; p < k4; p += 4, x += 4 * ap, y += 4 * bp) {
                    s0 += a[x] * b[y];
                    s1 += a[x + ap] * b[y + bp];
                    s2 += a[x + 2 * ap] * b[y + 2 * bp];
                    s3 += a[x + 3 * ap] * b[y + 3 * bp];
                }
                for (; p < k; p++) {
                    s0 += a[ra + p * ap] * b[rb + p * bp];
                }
                c[i * n + j] = (s0 + s1) + (s2 + s3);
            }
        }
    }
}
