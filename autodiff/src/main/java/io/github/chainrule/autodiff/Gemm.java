package io.github.chainrule.autodiff;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The single matrix-multiply kernel every product goes through, {@code C = op(A)·op(B)} on
 * row-major arrays, where {@code op} optionally transposes. Pure Java, no native code and no JVM
 * flags; a BLAS or Vector-API kernel can replace this class without touching any operation.
 *
 * <p>How it works:
 * <ul>
 * <li><b>Blocked and packed.</b> {@code op(B)} is copied, {@link #KC} rows × {@link #NC} columns at a
 * time, into a contiguous row-major panel; that copy is where {@code tb} is folded in, so
 * {@code A·Bᵀ} (the weight gradient {@code dZ·Aᵀ}) costs the same as {@code A·B} and no transposed
 * matrix is ever built. Elements of {@code op(A)} are read as scalars (eight per pass over a panel
 * row), so {@code ta} is only an index computation.</li>
 * <li><b>Micro-kernel.</b> {@link GemmKernel}: four rows of C × two k-steps over a panel row, a
 * branch-free stand-alone loop that C2 vectorizes (on JDK 17 variants with more rows, an
 * {@code if} inside, or a fixed trip count did not). It uses {@link Math#fma} only when the CPU
 * has FMA ({@link #FMA}); without it {@code Math.fma} falls back to a slow exact computation, so
 * a multiply-add loop runs instead.</li>
 * <li><b>Small products</b> (fewer than {@link #SMALL} multiply-adds, inner dimension ≤ 2, or
 * fewer than 4 output columns) take a simple loop: packing would cost more than it saves.</li>
 * <li><b>Two threads</b> for large products only ({@code m·n·k ≥} {@link #PARALLEL}): the output
 * is split in two halves (by columns when wide enough, else by rows), one computed by the
 * caller, the other on the common {@link ForkJoinPool}. Below the threshold waking the pool
 * costs more than it saves.</li>
 * </ul>
 * Results match a naive loop to rounding (the summation order differs), and the two-thread
 * path gives bit-identical results to the single-thread one (each element is summed in the same
 * order either way).
 */
final class Gemm {
    /** Depth of a packed panel (rows of op(B)). */
    static final int KC = 256;
    /** Width of a packed panel (columns of op(B)); KC × NC doubles = 512 KB fits in L2. */
    static final int NC = 256;
    /** Products with fewer multiply-adds than this take the simple loop. */
    static final long SMALL = 16 * 16 * 16;
    /** Products with at least this many multiply-adds (m·n·k) use two threads. */
    static final long PARALLEL = 1L << 22;
    /** Threads for large products: two, or one on a single-core machine. */
    static final int MAX_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /** Whether the micro-kernel uses {@link Math#fma}; see {@link Fma#detect()}. */
    static final boolean FMA = Fma.detect();

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {
    }

    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c) {
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
        if (k <= 2 || n < 4 || work < SMALL) {
            simple(ta, tb, a, aCols, b, bCols, c, m, n, k);
            return;
        }
        if (threads > 1 && work >= PARALLEL) {
            parallel(ta, tb, a, aCols, b, bCols, c, m, n, k, fma);
            return;
        }
        blocked(ta, tb, a, aCols, b, bCols, c, n, k, 0, m, 0, n, fma);
    }

    private static void parallel(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c,
            int m, int n, int k, boolean fma) {
        ForkJoinTask<?> other;
        if (n >= 2 * 64) {
            // split by columns at a multiple of 8 (whole vectors in each half)
            int half = (n / 2 + 7) & ~7;
            other = ForkJoinPool.commonPool()
                    .submit(() -> blocked(ta, tb, a, aCols, b, bCols, c, n, k, 0, m, half, n, fma));
            blocked(ta, tb, a, aCols, b, bCols, c, n, k, 0, m, 0, half, fma);
        } else {
            int half = (m / 2 + 3) & ~3;
            other = ForkJoinPool.commonPool()
                    .submit(() -> blocked(ta, tb, a, aCols, b, bCols, c, n, k, half, m, 0, n, fma));
            blocked(ta, tb, a, aCols, b, bCols, c, n, k, 0, half, 0, n, fma);
        }
        other.join();
    }

    /**
     * C[i0..i1, j0..j1] = op(A)[i0..i1, :] · op(B)[:, j0..j1], where C has row stride {@code n}
     * and the inner dimension is {@code k}.
     */
    static void blocked(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c, int n,
            int k, int i0, int i1, int j0, int j1, boolean fma) {
        Buffers buf = BUFFERS.get().fit(Math.min(KC, k) + 1, Math.min(NC, j1 - j0));
        double[][] panel = buf.panel;
        double[] acc0 = buf.acc[0], acc1 = buf.acc[1], acc2 = buf.acc[2], acc3 = buf.acc[3];
        // op(A)(i, p) = a[i * ai + p * ap]
        int ai = ta ? 1 : aCols, ap = ta ? aCols : 1;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                pack(tb, b, bCols, pc, kc, jc, nc, panel);
                if ((kc & 1) != 0) {
                    Arrays.fill(panel[kc], 0, nc, 0.0); // a zero k-step pads an odd depth
                }
                for (int i = i0; i < i1; i += 4) {
                    int rows = Math.min(4, i1 - i);
                    for (int r = 0; r < rows; r++) {
                        if (pc == 0) {
                            Arrays.fill(buf.acc[r], 0, nc, 0.0);
                        } else {
                            System.arraycopy(c, (i + r) * n + jc, buf.acc[r], 0, nc);
                        }
                    }
                    // a short last group repeats its last row into the unused accumulators
                    int r0 = i * ai, r1 = Math.min(i + 1, i1 - 1) * ai;
                    int r2 = Math.min(i + 2, i1 - 1) * ai, r3 = Math.min(i + 3, i1 - 1) * ai;
                    for (int p = 0; p < kc; p += 2) {
                        int q = (pc + p) * ap, q1 = q + ap;
                        double a00 = a[r0 + q], a10 = a[r1 + q], a20 = a[r2 + q], a30 = a[r3 + q];
                        double a01 = 0, a11 = 0, a21 = 0, a31 = 0;
                        if (p + 1 < kc) {
                            a01 = a[r0 + q1];
                            a11 = a[r1 + q1];
                            a21 = a[r2 + q1];
                            a31 = a[r3 + q1];
                        }
                        if (fma) {
                            GemmKernel.fma4x2(acc0, acc1, acc2, acc3, panel[p], panel[p + 1], nc, a00, a01, a10, a11,
                                    a20, a21, a30, a31);
                        } else {
                            GemmKernel.mulAdd4x2(acc0, acc1, acc2, acc3, panel[p], panel[p + 1], nc, a00, a01, a10,
                                    a11, a20, a21, a30, a31);
                        }
                    }
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(buf.acc[r], 0, c, (i + r) * n + jc, nc);
                    }
                }
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and kept. */
    private static final class Buffers {
        double[][] panel = new double[0][];
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
            // op(B)(p, j) = b[j * bCols + p]: read rows of b, write columns of the panel, 4 at a time
            int j = 0;
            for (; j + 4 <= nc; j += 4) {
                int s0 = (jc + j) * bCols + pc, s1 = s0 + bCols, s2 = s1 + bCols, s3 = s2 + bCols;
                for (int p = 0; p < kc; p++) {
                    double[] row = panel[p];
                    row[j] = b[s0 + p];
                    row[j + 1] = b[s1 + p];
                    row[j + 2] = b[s2 + p];
                    row[j + 3] = b[s3 + p];
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
     * The simple path: small products, inner dimension ≤ 2 (the course's planar net, (4×2)·(2×400)
     * and its gradients) and very narrow outputs.
     */
    static void simple(boolean ta, boolean tb, double[] a, int aCols, double[] b, int bCols, double[] c, int m,
            int n, int k) {
        int ai = ta ? 1 : aCols, ap = ta ? aCols : 1;
        if (tb && !ta) {
            // dot products of rows of A with rows of B, both contiguous
            for (int i = 0; i < m; i++) {
                int ra = i * aCols;
                for (int j = 0; j < n; j++) {
                    int rb = j * bCols;
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[ra + p] * b[rb + p];
                    }
                    c[i * n + j] = s;
                }
            }
            return;
        }
        Arrays.fill(c, 0, m * n, 0.0);
        if (!tb) {
            // rows of C += op(A)(i, p) · rows of B
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = 0; p < k; p++) {
                    double s = a[i * ai + p * ap];
                    int rb = p * bCols;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += s * b[rb + j];
                    }
                }
            }
            return;
        }
        // ta && tb: C(i, j) = Σ a[p, i] · b[j, p]; rows of C += a[p, i] · column p of b
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double s = a[p * aCols + i];
                for (int j = 0; j < n; j++) {
                    c[ci + j] += s * b[j * bCols + p];
                }
            }
        }
    }
}
