package io.github.chainrule.examples.bench;

import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.GemmBackend;
import io.github.chainrule.autodiff.GemmBackends;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Step;
import io.github.chainrule.autodiff.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A plain timed runner. Everything is compared with a reference measured in the same run, the
 * contenders alternating within each round so that a burst of load on a shared machine falls on
 * all alike; it prints medians. Read the ratios, not the absolute numbers.
 * <ol>
 * <li>Matrix products in GFLOP/s at 64…2048: chainrule's pure-Java kernel on 1 and 2 threads, the
 * fast path (the {@code "openblas"} backend, when on the class path: the {@code bench} profile adds
 * it) on 1 thread and on all cores, and EJML (the previous backend); beside an FMA peak
 * estimated from the CPU ({@code /proc/cpuinfo}) and measured for a tight Java FMA loop in L1.</li>
 * <li>One training step of a 784-256-128-10 ReLU MLP at batch 32/128/512 in samples/s: chainrule
 * (graph, autograd) on the fast path (default threads, and all cores or 1) and on pure Java; the same step
 * hand-written ({@link HandMlp}) on each; numpy ({@code bench/mlp_numpy.py}) and PyTorch
 * ({@code bench/mlp_torch.py}, autograd like chainrule), each with its default threads and with
 * one, when importable. The Python references run before and after the Java rounds, and the
 * faster of the two runs counts (the comparison leans their way).</li>
 * </ol>
 *
 * <pre>mvn -q -Pbench package -DskipTests</pre>
 *
 * PyTorch is looked for with {@code -Dbench.torchPython=PATH} (by default {@code python3} on the
 * PATH), then {@code /usr/bin/python3} (where Debian's {@code python3-torch} installs it).
 * {@code java ... Benchmark profile SECONDS} instead runs only chainrule's MLP step at batch 128
 * for that long (for a profiler).
 */
public final class Benchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 11);
    private static final int[] SIZES = {784, 256, 128, 10};
    /** Batch and steps per round, about 2.5–5k samples per round. */
    private static final int[][] BATCHES = {{32, 80}, {128, 20}, {512, 8}};

    private Benchmark() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("profile")) {
            profile(args.length > 1 ? Double.parseDouble(args[1]) : 30);
            return;
        }
        BenchResults.startRun();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "chainrule benchmark: medians (%d rounds unless said); %s, %d cores%n", ROUNDS,
                cpuinfo("model name"), cores);
        System.out.printf(Locale.ROOT, "JDK: %s %s (%s)%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("java.vm.vendor"));
        System.out.println("backends: " + String.join(", ", GemmBackends.available()) + "; current by default: "
                + GemmBackends.current().name());
        for (String name : GemmBackends.available()) {
            System.out.println("  " + GemmBackends.get(name).description());
        }
        if (FAST == null) {
            System.out.println("  (no fast path on the class path: the bench profile adds chainrule-openblas)");
        }
        peak(cores);
        System.out.println();
        System.out.println("C = A·B, n×n, GFLOP/s      java 1t   java 2t   openblas 1t   openblas " + cores
                + "t   EJML 1t   openblas(best)/java(best)");
        for (int n : new int[] {64, 256, 512, 1024, 2048}) {
            matmul(n, false, false);
        }
        matmul(512, false, true);
        matmul(512, true, false);
        System.out.println();
        mlp();
    }

    /** The fast path's backend ({@code "openblas"}), or null when it is not on the class path. */
    static final GemmBackend FAST = GemmBackends.available().contains("openblas") ? GemmBackends.get("openblas")
            : null;
    /** The fast path's default thread count (0 without one). */
    static final int FAST_THREADS = FAST == null ? 0 : fastThreads();
    /** The fast path's other thread setting measured: all cores when the default is 1, else 1. */
    static final int FAST_OTHER = FAST_THREADS == 1 ? Runtime.getRuntime().availableProcessors() : 1;

    /** OpenBLAS's thread count now, read from the backend (not a compile-time dependency here). */
    private static int fastThreads() {
        try {
            return (int) FAST.getClass().getMethod("threads").invoke(FAST);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets OpenBLAS's thread count. */
    static void fastThreads(int n) {
        try {
            FAST.getClass().getMethod("threads", int.class).invoke(FAST, n);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code r} run with {@code backend} current and, for the fast path, OpenBLAS on {@code threads}. */
    static Runnable on(String backend, int threads, Runnable r) {
        return () -> {
            GemmBackends.use(backend);
            if (FAST != null && backend.equals(FAST.name())) {
                fastThreads(threads);
            }
            r.run();
        };
    }

    // ------------------------------------------------------------------ peak

    /** The estimated FMA peak from the CPU flags and clock, and a measured tight fma loop. */
    static void peak(int cores) {
        String flags = " " + cpuinfo("flags") + " ";
        int lanes = flags.contains(" avx512f ") ? 8 : flags.contains(" avx2 ") || flags.contains(" fma ") ? 4 : 2;
        double ghz = 0;
        try {
            ghz = Double.parseDouble(cpuinfo("cpu MHz")) / 1000;
        } catch (NumberFormatException e) {
            // not Linux, or no clock line
        }
        if (ghz > 0) {
            double one = ghz * 2 * lanes * 2;
            System.out.printf(Locale.ROOT,
                    "estimated FMA peak: %.2f GHz × 2 FMA units × %d doubles × 2 flops = %.0f GFLOP/s per core, %.0f on %d"
                            + " (nominal clock from /proc/cpuinfo; turbo and AVX-512 down-clocking not counted)%n",
                    ghz, lanes, one, one * cores, cores);
        }
        double[] c0 = new double[512], c1 = new double[512], c2 = new double[512], c3 = new double[512];
        double[] x = new double[512], y = new double[512];
        Arrays.fill(x, 1e-9);
        Arrays.fill(y, -1e-9);
        int reps = 100_000;
        double[] t = medians(ROUNDS, () -> {
            for (int r = 0; r < reps; r++) {
                fmaLoop(c0, c1, c2, c3, x, y, 512);
            }
        });
        System.out.printf(Locale.ROOT, "measured Java fma loop in L1 (the micro-kernel's shape), 1 thread: %.1f GFLOP/s%n",
                16.0 * 512 * reps / t[0] / 1e9);
    }

    private static void fmaLoop(double[] c0, double[] c1, double[] c2, double[] c3, double[] x, double[] y, int len) {
        for (int j = 0; j < len; j++) {
            double u = x[j], v = y[j];
            c0[j] = Math.fma(2.0, v, Math.fma(3.0, u, c0[j]));
            c1[j] = Math.fma(4.0, v, Math.fma(5.0, u, c1[j]));
            c2[j] = Math.fma(6.0, v, Math.fma(7.0, u, c2[j]));
            c3[j] = Math.fma(8.0, v, Math.fma(9.0, u, c3[j]));
        }
    }

    /** The value of the first {@code key : value} line of /proc/cpuinfo, or "unknown CPU". */
    static String cpuinfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith(key) && line.indexOf(':') > 0
                        && line.substring(0, line.indexOf(':')).trim().equals(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown CPU";
    }

    // ------------------------------------------------------------------ matmul

    /** C = op(A)·op(B), n×n: the pure-Java kernel on 1 and 2 threads, OpenBLAS on 1 and default, EJML. */
    static void matmul(int n, boolean ta, boolean tb) {
        Random r = new Random(n);
        double[] a = new double[n * n], b = new double[n * n], c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
        }
        DMatrixRMaj ea = DMatrixRMaj.wrap(n, n, a), eb = DMatrixRMaj.wrap(n, n, b), ec = new DMatrixRMaj(n, n);
        double flops = 2.0 * n * n * n;
        int reps = (int) Math.max(1, 2e9 / flops); // ~0.1 s per round at 20 GFLOP/s
        int rounds = n >= 2048 ? 3 : n >= 1024 ? 5 : ROUNDS;
        List<Runnable> ws = new ArrayList<>();
        ws.add(() -> {
            for (int i = 0; i < reps; i++) {
                KernelAccess.multiply(ta, tb, a, n, n, b, n, n, c, 1);
            }
        });
        ws.add(() -> {
            for (int i = 0; i < reps; i++) {
                KernelAccess.multiply(ta, tb, a, n, n, b, n, n, c, 2);
            }
        });
        if (FAST != null) {
            for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
                ws.add(() -> {
                    fastThreads(threads);
                    for (int i = 0; i < reps; i++) {
                        FAST.multiply(ta, tb, a, n, n, b, n, n, c);
                    }
                });
            }
        }
        ws.add(() -> {
            for (int i = 0; i < reps; i++) {
                HandMlp.Products.EJML.mult(ta, tb, ea, eb, ec);
            }
        });
        double[] t = medians(rounds, ws.toArray(new Runnable[0]));
        double[] g = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            g[i] = flops * reps / t[i] / 1e9;
        }
        if (FAST != null) {
            fastThreads(FAST_THREADS);
        }
        String name = (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " " + n;
        double java = Math.max(g[0], g[1]);
        System.out.printf(Locale.ROOT, "%-26s %7.1f   %7.1f   %11s   %10s   %7.1f   %25s%s%n", name, g[0], g[1],
                FAST == null ? "-" : String.format(Locale.ROOT, "%.1f", g[2]),
                FAST == null ? "-" : String.format(Locale.ROOT, "%.1f", g[3]), g[g.length - 1],
                FAST == null ? "-" : String.format(Locale.ROOT, "%.2f×", Math.max(g[2], g[3]) / java),
                rounds != ROUNDS ? "   (" + rounds + " rounds)" : "");
    }

    // ------------------------------------------------------------------ MLP

    /** The training step at each batch size: chainrule and hand-written on each backend, numpy, PyTorch. */
    static void mlp() {
        String fast = FAST == null ? null : FAST.name();
        List<Map<Integer, double[]>> refs = new ArrayList<>(List.of(numpyReference(false), numpyReference(true),
                torchReference(false), torchReference(true)));
        List<String> shares = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int[] bs : BATCHES) {
            int batch = bs[0], steps = bs[1];
            Workload w = new Workload(batch);
            HandMlp hand = new HandMlp(HandMlp.Products.CHAINRULE_KERNEL, SIZES, w.x, w.y);
            Runnable ours = () -> w.steps(steps), byHand = () -> {
                for (int s = 0; s < steps; s++) {
                    hand.step(0.01);
                }
            };
            List<Runnable> ws = new ArrayList<>();
            ws.add(on(GemmBackends.JAVA, 0, ours));
            ws.add(on(GemmBackends.JAVA, 0, byHand));
            ws.add(on(GemmBackends.JAVA, 0, products(batch, steps)));
            if (fast != null) {
                ws.add(on(fast, FAST_THREADS, ours));
                ws.add(on(fast, FAST_OTHER, ours));
                ws.add(on(fast, FAST_THREADS, byHand));
                ws.add(on(fast, FAST_THREADS, products(batch, steps)));
            }
            double[] t = medians(ROUNDS, ws.toArray(new Runnable[0]));
            double samples = (double) steps * batch;
            double[] row = new double[7];
            Arrays.fill(row, Double.NaN);
            row[0] = batch;
            row[1] = samples / t[0];
            row[2] = samples / t[1];
            shares.add(String.format(Locale.ROOT, "%5d   %-8s %9.2f ms   %11.2f ms   %4.0f%%", batch, "java",
                    t[2] / steps * 1e3, t[0] / steps * 1e3, 100 * t[2] / t[0]));
            if (fast != null) {
                row[3] = samples / t[3];
                row[4] = samples / t[4];
                row[5] = samples / t[5];
                shares.add(String.format(Locale.ROOT, "%5d   %-8s %9.2f ms   %11.2f ms   %4.0f%%", batch, fast,
                        t[6] / steps * 1e3, t[3] / steps * 1e3, 100 * t[6] / t[3]));
            }
            rows.add(row);
        }
        if (FAST != null) {
            fastThreads(FAST_THREADS);
        }
        GemmBackends.use(fast != null ? fast : GemmBackends.JAVA);
        // the references again after the Java rounds; the faster of the two runs counts
        List<Map<Integer, double[]>> again = List.of(numpyReference(false), numpyReference(true),
                torchReference(false), torchReference(true));
        for (int i = 0; i < refs.size(); i++) {
            for (Map.Entry<Integer, double[]> e : again.get(i).entrySet()) {
                refs.get(i).merge(e.getKey(), e.getValue(), (x, y) -> x[0] >= y[0] ? x : y);
            }
        }
        String fastPath = fast == null ? "absent"
                : fast + ", " + FAST_THREADS + (FAST_THREADS == 1 ? " thread" : " threads") + " by default";
        System.out.printf(Locale.ROOT, "MLP 784-256-128-10 training step, samples/s (fast path: %s; numpy %s; torch %s)%n",
                fastPath, version("numpy"), version("torch"));
        System.out.println("batch   chainrule   chainrule   chainrule    hand on    hand on   numpy   numpy   torch   torch");
        System.out.printf(Locale.ROOT, "        fast        fast %-2s     java         fast       java      dflt    1t      dflt    1t%n",
                FAST_OTHER + "t");
        for (double[] row : rows) {
            int batch = (int) row[0];
            System.out.printf(Locale.ROOT, "%5d   %9s   %9s   %9.0f   %8s   %8.0f   %5s   %5s   %5s   %5s%n", batch,
                    fmt(row[3]), fmt(row[4]), row[1], fmt(row[5]), row[2], fmt(ref(refs.get(0), batch)),
                    fmt(ref(refs.get(1), batch)), fmt(ref(refs.get(2), batch)), fmt(ref(refs.get(3), batch)));
        }
        System.out.println();
        System.out.println("ratios (samples/s over samples/s)");
        System.out.println("batch   fast/java   fast/hand fast   java/hand java   java/numpy best   fast/numpy best"
                + "   fast/torch dflt   fast/torch best");
        for (double[] row : rows) {
            int batch = (int) row[0];
            double np = ref(refs.get(0), batch), npBest = best(np, ref(refs.get(1), batch));
            double th = ref(refs.get(2), batch), thBest = best(th, ref(refs.get(3), batch));
            System.out.printf(Locale.ROOT, "%5d   %9s   %14s   %14.2f   %15s   %15s   %15s   %15s%n", batch,
                    ratio(row[3], row[1]), ratio(row[3], row[5]), row[1] / row[2], ratio(row[1], npBest),
                    ratio(row[3], npBest), ratio(row[3], th), ratio(row[3], thBest));
        }
        record(fast, rows, refs);
        System.out.println("(fast, java = chainrule on the fast path at its default threads, on pure Java; best = the"
                + " faster of the reference's default and 1-thread runs)");
        System.out.println();
        System.out.println("the step's 8 matrix products alone (as chainrule calls them) against chainrule's whole step");
        System.out.println("batch   backend   products   chainrule step   products' share");
        shares.forEach(System.out::println);
    }

    /**
     * Hands the MLP figures to {@link BenchSummary} ({@link BenchResults}; nothing is written
     * without {@code -Dbench.results}): samples/s per backend and batch, the references (numpy's
     * faster setting as {@code mlp.numpy}, PyTorch at its default threads as {@code mlp.torch}),
     * and chainrule's step time over the hand-written one's on each backend.
     */
    private static void record(String fast, List<double[]> rows, List<Map<Integer, double[]>> refs) {
        if (fast != null) {
            BenchResults.note("mlp.fastBackend", fast);
        }
        for (double[] row : rows) {
            int batch = (int) row[0];
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("mlp.chainrule.java." + batch, row[1]);
            m.put("mlp.hand.java." + batch, row[2]);
            m.put("overhead.java." + batch, row[2] / row[1]);
            if (fast != null) {
                m.put("mlp.chainrule." + fast + "." + batch, row[3]);
                m.put("mlp.chainrule." + fast + "." + FAST_OTHER + "t." + batch, row[4]);
                m.put("mlp.hand." + fast + "." + batch, row[5]);
                m.put("overhead." + fast + "." + batch, row[5] / row[3]);
            }
            m.put("mlp.numpy.default." + batch, ref(refs.get(0), batch));
            m.put("mlp.numpy.1t." + batch, ref(refs.get(1), batch));
            m.put("mlp.numpy." + batch, best(ref(refs.get(0), batch), ref(refs.get(1), batch)));
            m.put("mlp.torch." + batch, ref(refs.get(2), batch));
            m.put("mlp.torch.1t." + batch, ref(refs.get(3), batch));
            m.forEach((k, v) -> {
                if (!Double.isNaN(v)) {
                    BenchResults.put(k, v);
                }
            });
        }
    }

    private static double ref(Map<Integer, double[]> m, int batch) {
        return m.containsKey(batch) ? m.get(batch)[0] : Double.NaN;
    }

    private static double best(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** Versions reported by the Python references ("-" when not run). */
    private static final Map<String, String> VERSIONS = new HashMap<>();

    private static String version(String what) {
        return VERSIONS.getOrDefault(what, "not run");
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** chainrule's MLP training step on a fixed batch (forward, autograd backward, SGD update). */
    static final class Workload {
        final Tensor x, y;
        final Tensor[] w = new Tensor[3], b = new Tensor[3];

        Workload(int batch) {
            NumpyRandom rng = new NumpyRandom(1);
            x = Tensor.randn(SIZES[0], batch, rng);
            double[] oneHot = new double[SIZES[3] * batch];
            for (int j = 0; j < batch; j++) {
                oneHot[(j % SIZES[3]) * batch + j] = 1;
            }
            y = Tensor.fromRowMajor(SIZES[3], batch, oneHot);
            for (int l = 0; l < 3; l++) {
                w[l] = Tensor.randn(SIZES[l + 1], SIZES[l], rng).mul(Math.sqrt(2.0 / SIZES[l])).detach()
                        .requiringGrad();
                b[l] = Tensor.zeros(SIZES[l + 1], 1).requiringGrad();
            }
        }

        void steps(int steps) {
            for (int s = 0; s < steps; s++) {
                try (Step step = Step.open()) { // the step's activations are written into the previous step's storage
                    Tensor a = x;
                    for (int l = 0; l < 3; l++) {
                        Tensor z = w[l].matmul(a).add(b[l]);
                        a = l < 2 ? z.relu() : z;
                    }
                    Tensor cost = a.softmaxCrossEntropyWithLogits(y).mean();
                    Autograd.backward(cost, false);
                    try (Grad.Scope off = Grad.disabled()) {
                        for (int l = 0; l < 3; l++) {
                            w[l].addGradInPlace(-0.01);
                            b[l].addGradInPlace(-0.01);
                            w[l].zeroGrad();
                            b[l].zeroGrad();
                        }
                    }
                }
            }
        }
    }

    /**
     * The 8 products of one training step, with the shapes and transposes chainrule issues
     * (forward {@code W·A}; backward {@code dW = G·Aᵀ}, and {@code dA = Wᵀ·G} for the two upper
     * layers), through the current backend as chainrule calls it, into output arrays kept from
     * one step to the next as chainrule's steps keep theirs ({@code Step}).
     */
    static Runnable products(int batch, int steps) {
        Random r = new Random(2);
        double[][] w = new double[3][], a = new double[3][], g = new double[3][];
        double[][] z = new double[3][], dw = new double[3][], da = new double[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = r.doubles((long) SIZES[l + 1] * SIZES[l]).toArray();
            a[l] = r.doubles((long) SIZES[l] * batch).toArray();
            g[l] = r.doubles((long) SIZES[l + 1] * batch).toArray();
            z[l] = new double[SIZES[l + 1] * batch];
            dw[l] = new double[SIZES[l + 1] * SIZES[l]];
            da[l] = new double[SIZES[l] * batch];
        }
        return () -> {
            for (int s = 0; s < steps; s++) {
                for (int l = 0; l < 3; l++) {
                    int out = SIZES[l + 1], in = SIZES[l];
                    KernelAccess.dispatch(false, false, w[l], out, in, a[l], in, batch, z[l]);
                }
                for (int l = 2; l >= 0; l--) {
                    int out = SIZES[l + 1], in = SIZES[l];
                    KernelAccess.dispatch(false, true, g[l], out, batch, a[l], in, batch, dw[l]);
                    if (l > 0) {
                        KernelAccess.dispatch(true, false, w[l], out, in, g[l], out, batch, da[l]);
                    }
                }
            }
        };
    }

    /** Runs chainrule's step at batch 128 for {@code seconds}, for a profiler. */
    static void profile(double seconds) {
        Workload w = new Workload(128);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long steps = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            w.steps(10);
            steps += 10;
        }
        System.out.printf(Locale.ROOT, "profile: %d steps at batch 128, %.0f samples/s%n", steps,
                steps * 128 / ((System.nanoTime() - start) / 1e9));
    }

    /**
     * The same MLP step in numpy (resource {@code bench/mlp_numpy.py}) per batch size, when
     * {@code python3} with numpy is on the PATH (empty otherwise); with {@code oneThread}, its
     * BLAS is held to one thread (OPENBLAS_NUM_THREADS and friends = 1).
     */
    static Map<Integer, double[]> numpyReference(boolean oneThread) {
        return python(List.of(System.getProperty("bench.python", "python3")), "mlp_numpy.py", "numpy", List.of(),
                oneThread);
    }

    /**
     * The same MLP step in PyTorch (resource {@code bench/mlp_torch.py}, autograd) per batch size,
     * with its default threads or one; empty with a message when no interpreter has torch.
     */
    static Map<Integer, double[]> torchReference(boolean oneThread) {
        String given = System.getProperty("bench.torchPython", "");
        List<String> pythons = new ArrayList<>();
        pythons.add(!given.isBlank() ? given : System.getProperty("bench.python", "python3"));
        if (!pythons.contains("/usr/bin/python3")) {
            pythons.add("/usr/bin/python3");
        }
        return python(pythons, "mlp_torch.py", "torch", List.of(oneThread ? "1" : "0"), oneThread);
    }

    /**
     * Runs {@code script} with the first of {@code pythons} that does not skip it: samples/s per
     * batch; lines starting with "#" carry the library version ("# numpy 2.4.0 ...").
     */
    private static Map<Integer, double[]> python(List<String> pythons, String script, String what,
            List<String> args, boolean oneThread) {
        Map<Integer, double[]> result = new HashMap<>();
        String why = "";
        try {
            Path file = Files.createTempFile("chainrule-mlp", ".py");
            try {
                try (InputStream in = Benchmark.class.getResourceAsStream("/bench/" + script)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                for (String python : pythons) {
                    List<String> command = new ArrayList<>(List.of(python, file.toString(), Integer.toString(ROUNDS)));
                    command.addAll(args);
                    for (int[] bs : BATCHES) {
                        command.add(bs[0] + ":" + bs[1]);
                    }
                    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                    if (oneThread) {
                        for (String v : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}) {
                            pb.environment().put(v, "1");
                        }
                    }
                    Process p;
                    try {
                        p = pb.start();
                    } catch (IOException e) {
                        why = python + ": " + e.getMessage();
                        continue;
                    }
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (p.waitFor() != 0 || out.startsWith("skipped")) {
                        why = python + ": " + out.lines().reduce((x, y) -> y).orElse("");
                        continue;
                    }
                    for (String line : out.split("\n")) {
                        String[] f = line.trim().split("\\s+");
                        if (f[0].equals("#")) { // "# torch 1.13.0 threads 2": the default run's thread count is the one to show
                            String v = line.substring(1).trim().replaceFirst("^" + what + " ", "");
                            if (oneThread) {
                                VERSIONS.putIfAbsent(what, v.replaceFirst(" threads \\d+$", "") + " (" + python + ")");
                            } else {
                                // torch's own (intra-op) threads; the BLAS it calls keeps its own default
                                VERSIONS.put(what, v.replaceFirst(" threads (\\d+)$", ", by default $1 intra-op thread(s) and"
                                        + " its BLAS's own") + " (" + python + ")");
                            }
                        } else {
                            result.put(Integer.parseInt(f[0]), new double[] {Double.parseDouble(f[1])});
                        }
                    }
                    return result;
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            why = e.toString();
        }
        System.out.println(what + " reference skipped (" + why + ")");
        BenchResults.note("mlp." + what + ".skipped", why);
        return result;
    }

    // ------------------------------------------------------------------ timing

    /**
     * Median wall times in seconds of each workload over {@code rounds} rounds, after a warm-up
     * run each (two for short ones); the workloads alternate within each round.
     */
    static double[] medians(int rounds, Runnable... workloads) {
        for (Runnable w : workloads) {
            if (time(w) < 1) {
                w.run();
            }
        }
        double[][] t = new double[workloads.length][rounds];
        for (int i = 0; i < rounds; i++) {
            for (int j = 0; j < workloads.length; j++) {
                t[j][i] = time(workloads[j]);
            }
        }
        double[] m = new double[workloads.length];
        for (int j = 0; j < workloads.length; j++) {
            Arrays.sort(t[j]);
            m[j] = t[j][rounds / 2];
        }
        return m;
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
