package io.github.chainrule.examples.bench;

import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
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
 * <li>The matrix-multiply kernel ({@code autodiff.Gemm}) in GFLOP/s at 64…2048, on 1 and 2
 * threads, against EJML (the previous backend) and an FMA peak: estimated from the CPU
 * ({@code /proc/cpuinfo}) and measured for a tight Java FMA loop in L1.</li>
 * <li>One training step of a 784-256-128-10 ReLU MLP at batch 32/128/512 in samples/s: chainrule
 * (graph, autograd) against the same step hand-written on the same kernel (so the ratio is the
 * graph's overhead), hand-written on EJML, and numpy (when {@code python3} has it) with its
 * default BLAS threads and with one.</li>
 * </ol>
 *
 * <pre>mvn -q -Pbench package -DskipTests</pre>
 *
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
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "chainrule benchmark: medians (%d rounds unless said); java %s, %d cores, %s%n",
                ROUNDS, System.getProperty("java.version"), cores, cpuinfo("model name"));
        System.out.printf(Locale.ROOT, "kernel: pure Java, %s micro-kernel%n",
                KernelAccess.fma() ? "Math.fma" : "multiply+add (no FMA on this CPU)");
        peak(cores);
        System.out.println();
        System.out.println("C = A·B, n×n, GFLOP/s      kernel 1t   kernel 2t   EJML 1t   kernel 1t / EJML");
        for (int n : new int[] {64, 256, 512, 1024, 2048}) {
            matmul(n, false, false);
        }
        matmul(512, false, true);
        matmul(512, true, false);
        System.out.println();
        mlp();
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

    /** C = op(A)·op(B), n×n, through the kernel on 1 and 2 threads and through EJML. */
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
        boolean two = (long) n * n * n >= 1L << 22;
        Runnable k1 = () -> {
            for (int i = 0; i < reps; i++) {
                KernelAccess.multiply(ta, tb, a, n, n, b, n, n, c, 1);
            }
        };
        Runnable k2 = () -> {
            for (int i = 0; i < reps; i++) {
                KernelAccess.multiply(ta, tb, a, n, n, b, n, n, c, 2);
            }
        };
        Runnable ejml = () -> {
            for (int i = 0; i < reps; i++) {
                HandMlp.Products.EJML.mult(ta, tb, ea, eb, ec);
            }
        };
        double[] t = two ? medians(rounds, k1, k2, ejml) : medians(rounds, k1, ejml);
        double g1 = flops * reps / t[0] / 1e9, g2 = two ? flops * reps / t[1] / 1e9 : Double.NaN;
        double ge = flops * reps / t[t.length - 1] / 1e9;
        String name = (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " " + n;
        System.out.printf(Locale.ROOT, "%-26s %9.1f   %9s   %7.1f   %6.1f×%s%n", name, g1,
                two ? String.format(Locale.ROOT, "%.1f", g2) : "-", ge, g1 / ge,
                rounds != ROUNDS ? "   (" + rounds + " rounds)" : "");
    }

    // ------------------------------------------------------------------ MLP

    /** The training step at each batch size: chainrule, hand-written (kernel, EJML), numpy. */
    static void mlp() {
        Map<Integer, double[]> numpy = numpyReference(false), numpy1 = numpyReference(true);
        System.out.println("MLP 784-256-128-10 training step, samples/s");
        System.out.println("batch   chainrule   hand+kernel   hand+kernel 1t   hand+EJML   numpy   numpy 1t   "
                + "chainrule/hand+kernel   chainrule/numpy(best)");
        List<String> shares = new ArrayList<>();
        for (int[] bs : BATCHES) {
            int batch = bs[0], steps = bs[1];
            Workload w = new Workload(batch);
            HandMlp hk = new HandMlp(HandMlp.Products.CHAINRULE_KERNEL, SIZES, w.x, w.y);
            HandMlp h1 = new HandMlp(HandMlp.Products.CHAINRULE_KERNEL_1T, SIZES, w.x, w.y);
            HandMlp he = new HandMlp(HandMlp.Products.EJML, SIZES, w.x, w.y);
            double[] t = medians(ROUNDS, () -> w.steps(steps), () -> {
                for (int s = 0; s < steps; s++) {
                    hk.step(0.01);
                }
            }, () -> {
                for (int s = 0; s < steps; s++) {
                    h1.step(0.01);
                }
            }, () -> {
                for (int s = 0; s < steps; s++) {
                    he.step(0.01);
                }
            }, products(batch, steps));
            double samples = (double) steps * batch;
            shares.add(String.format(Locale.ROOT, "%5d   %6.2f ms   %6.2f ms   %4.0f%%", batch, t[4] / steps * 1e3,
                    t[0] / steps * 1e3, 100 * t[4] / t[0]));
            double ours = samples / t[0], hand = samples / t[1], hand1 = samples / t[2], ejml = samples / t[3];
            double np = numpy.containsKey(batch) ? numpy.get(batch)[0] : Double.NaN;
            double np1 = numpy1.containsKey(batch) ? numpy1.get(batch)[0] : Double.NaN;
            double best = Double.isNaN(np) ? np1 : Double.isNaN(np1) ? np : Math.max(np, np1);
            System.out.printf(Locale.ROOT, "%5d   %9.0f   %11.0f   %14.0f   %9.0f   %5s   %8s   %21.2f   %21s%n", batch,
                    ours, hand, hand1, ejml, fmt(np), fmt(np1), ours / hand,
                    Double.isNaN(best) ? "-" : String.format(Locale.ROOT, "%.2f", ours / best));
        }
        System.out.println("(ratios above: chainrule's samples/s over the other's; numpy(best) is the faster of numpy's"
                + " two thread settings)");
        System.out.println();
        System.out.println("the step's 8 matrix products alone (kernel, as chainrule calls it) against chainrule's whole step");
        System.out.println("batch   products   chainrule step   kernel share");
        shares.forEach(System.out::println);
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

    /**
     * The 8 products of one training step, with the shapes and transposes chainrule issues
     * (forward {@code W·A}; backward {@code dW = G·Aᵀ}, and {@code dA = Wᵀ·G} for the two upper
     * layers), through the kernel on fresh output arrays as chainrule allocates them.
     */
    static Runnable products(int batch, int steps) {
        Random r = new Random(2);
        double[][] w = new double[3][], a = new double[3][], g = new double[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = r.doubles((long) SIZES[l + 1] * SIZES[l]).toArray();
            a[l] = r.doubles((long) SIZES[l] * batch).toArray();
            g[l] = r.doubles((long) SIZES[l + 1] * batch).toArray();
        }
        return () -> {
            for (int s = 0; s < steps; s++) {
                for (int l = 0; l < 3; l++) {
                    int out = SIZES[l + 1], in = SIZES[l];
                    KernelAccess.multiply(false, false, w[l], out, in, a[l], in, batch, new double[out * batch], 2);
                }
                for (int l = 2; l >= 0; l--) {
                    int out = SIZES[l + 1], in = SIZES[l];
                    KernelAccess.multiply(false, true, g[l], out, batch, a[l], in, batch, new double[out * in], 2);
                    if (l > 0) {
                        KernelAccess.multiply(true, false, w[l], out, in, g[l], out, batch, new double[in * batch], 2);
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
        Map<Integer, double[]> result = new HashMap<>();
        try {
            Path script = Files.createTempFile("chainrule-mlp", ".py");
            try {
                try (InputStream in = Benchmark.class.getResourceAsStream("/bench/mlp_numpy.py")) {
                    Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                }
                List<String> command = new ArrayList<>(List.of("python3", script.toString(), Integer.toString(ROUNDS)));
                for (int[] bs : BATCHES) {
                    command.add(bs[0] + ":" + bs[1]);
                }
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                if (oneThread) {
                    for (String v : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}) {
                        pb.environment().put(v, "1");
                    }
                }
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    System.out.println("numpy reference skipped: " + out.lines().reduce((a, b) -> b).orElse(""));
                    return result;
                }
                for (String line : out.split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    result.put(Integer.parseInt(f[0]), new double[] {Double.parseDouble(f[1])});
                }
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.out.println("numpy reference skipped: " + e);
        }
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
