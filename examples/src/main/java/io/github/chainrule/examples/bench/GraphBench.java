package io.github.chainrule.examples.bench;

import io.github.chainrule.autodiff.ArrayMath;
import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.examples.course.PlanarShallowNet;
import io.github.chainrule.nn.data.Dataset;
import io.github.chainrule.nn.data.Datasets;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the graph itself costs, each figure beside a reference measured in the same run (medians;
 * the machine is shared, so read the ratios):
 * <ul>
 *   <li>the course's planar network (2 → 4 tanh → 1, 400 flower points, learning rate 1.2, the
 *       notebook's cost from probabilities) trained by {@link PlanarShallowNet#train}, against the
 *       same step hand-written on {@code double[]} loops, numpy ({@code bench/planar_numpy.py}) and
 *       PyTorch ({@code bench/planar_torch.py}, skipped when torch is absent);</li>
 *   <li>an MLP 784-256-128-10 training step at batch 32, 128 and 512 (or the batches listed in
 *       {@code -Dbench.mlpBatches=}): bytes allocated per step against the
 *       bytes the step must hold, and its time against the step hand-written on the same kernel
 *       ({@link HandMlp} on chainrule's kernel). It runs before the two graphs below: measured after them,
 *       chainrule's step (which allocates its forward values; the hand-written one allocates
 *       nothing) was 1.2–1.5× slower than in a fresh JVM, and 2–3× in some full runs, because the
 *       graphs had grown the heap and each step's allocations first touched memory the JVM had
 *       newly taken from the system (page faults, costly in a virtual machine): with
 *       {@code -XX:+AlwaysPreTouch}, which touches memory when the heap takes it, the ratio after
 *       the scalar graph was that of a fresh JVM;</li>
 *   <li>a micrograd-style 2-16-16-1 MLP on 100 points built from 1×1 tensors: graph nodes per
 *       second, forward build plus backward;</li>
 *   <li>a chain of 1 000 000 operations: build and backward time, bytes allocated, in the JVM's
 *       default heap.</li>
 * </ul>
 *
 * <pre>mvn -q -Pgraph-bench package -DskipTests</pre>
 *
 * {@code -Dbench.only=mlp} (any of planar, scalar, chain, mlp), {@code -Dbench.rounds=} and
 * {@code -Dbench.mlpBatches=} reach the forked JVM.
 */
public final class GraphBench {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private GraphBench() {
    }

    public static void main(String[] args) {
        BenchResults.startRun();
        System.out.printf(Locale.ROOT, "chainrule graph benchmark: %d rounds, medians; java %s, %d cores, max heap %d MB%n",
                ROUNDS, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        String only = System.getProperty("bench.only", "planar,scalar,chain,mlp");
        if (only.contains("planar")) {
            planar(Integer.getInteger("bench.planarIterations", 500));
        }
        if (only.contains("mlp")) { // before the chain grows the heap (see above)
            for (String batch : System.getProperty("bench.mlpBatches", "32,128,512").split(",")) {
                int m = Integer.parseInt(batch.trim());
                mlp(m, Math.max(4, 640 / m)); // rounds of 20 ms or more
            }
        }
        if (only.contains("scalar")) {
            scalar();
        }
        if (only.contains("chain")) {
            chain(1_000_000);
        }
    }

    // ------------------------------------------------------------------ planar

    static void planar(int iterations) {
        Dataset data = Datasets.flower();
        Tensor x = data.x(), y = data.y();
        PlanarShallowNet[] net = {new PlanarShallowNet(4)};
        HandPlanar[] hand = {new HandPlanar(x, y)};
        double[] t = medians(() -> net[0].train(x, y, iterations, 1.2), () -> hand[0].train(iterations, 1.2));
        double ours = iterations / t[0], byHand = iterations / t[1];
        BenchResults.put("planar.chainrule", ours);
        BenchResults.put("planar.hand", byHand);
        System.out.printf(Locale.ROOT, "planar 2-4-1 m=400   chainrule %8.0f it/s   Java by hand %8.0f it/s   ratio %.2f   (by hand on the same ArrayMath tanh/σ/log)%n",
                ours, byHand, byHand / ours);
        python(System.getProperty("bench.python", "python3"), "planar_numpy.py", "numpy", ours, iterations);
        // -Dbench.torchPython=/usr/bin/python3 when torch is installed for another interpreter (Debian's python3-torch)
        python(System.getProperty("bench.torchPython", System.getProperty("bench.python", "python3")), "planar_torch.py",
                "PyTorch", ours, Math.max(100, iterations / 5));
        // the two trainings agree (same formulas, same start)
        PlanarShallowNet check = new PlanarShallowNet(4);
        double a = check.train(x, y, 100, 1.2).get(99);
        double b = new HandPlanar(x, y).train(100, 1.2);
        System.out.printf(Locale.ROOT, "planar cost after 100 iterations: chainrule %.12f, by hand %.12f%n", a, b);
    }

    /** The results key of a reference: "numpy", "torch". */
    private static String key(String name) {
        return name.equals("PyTorch") ? "torch" : name;
    }

    /** Runs a reference script; prints its iterations/s and the speed of chainrule relative to it. */
    private static void python(String python, String script, String name, double ours, int iterations) {
        try {
            Path file = Files.createTempFile("chainrule-" + name, ".py");
            try {
                try (InputStream in = GraphBench.class.getResourceAsStream("/bench/" + script)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                Process p = new ProcessBuilder(python, file.toString(), Integer.toString(ROUNDS),
                        Integer.toString(iterations)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                String last = out.lines().reduce((u, v) -> v).orElse("");
                if (p.waitFor() != 0 || last.startsWith("skipped")) {
                    System.out.println("planar " + name + " reference skipped: " + last);
                    BenchResults.note("planar." + key(name) + ".skipped", last);
                    return;
                }
                double ref = Double.parseDouble(last);
                BenchResults.put("planar." + key(name), ref);
                System.out.printf(Locale.ROOT, "planar 2-4-1 m=400   chainrule %8.0f it/s   %-12s %8.0f it/s   chainrule/%s %.2f×%n",
                        ours, name, ref, name, ours / ref);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            System.out.println("planar " + name + " reference skipped: " + e.getMessage());
        }
    }

    /**
     * The notebook's planar step written out on arrays: forward, cost, dZ2 = A2 − Y, ..., update.
     * tanh, σ and log run on chainrule's {@link ArrayMath} kernels, as in the graph, so that the
     * ratio to it measures the graph's own overhead.
     */
    static final class HandPlanar {
        final int m, h = 4;
        final double[] x, y, w1, b1 = new double[4], w2, z1, a1, z2, a2, oneMinusA2, logA2, logOneMinusA2, dz1;
        final double[] b2 = new double[1];

        HandPlanar(Tensor xs, Tensor ys) {
            m = xs.cols();
            x = xs.toRowMajorArray();
            y = ys.toRowMajorArray();
            NumpyRandom rng = new NumpyRandom(2);
            w1 = Tensor.randn(h, 2, rng).mul(0.01).toRowMajorArray();
            w2 = Tensor.randn(1, h, rng).mul(0.01).toRowMajorArray();
            z1 = new double[h * m];
            a1 = new double[h * m];
            z2 = new double[m];
            a2 = new double[m];
            oneMinusA2 = new double[m];
            logA2 = new double[m];
            logOneMinusA2 = new double[m];
            dz1 = new double[h * m];
        }

        double train(int iterations, double lr) {
            double cost = 0;
            for (int it = 0; it < iterations; it++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < m; j++) {
                        z1[i * m + j] = w1[2 * i] * x[j] + w1[2 * i + 1] * x[m + j] + b1[i];
                    }
                }
                ArrayMath.tanh(z1, a1);
                for (int j = 0; j < m; j++) {
                    double z = b2[0];
                    for (int i = 0; i < h; i++) {
                        z += w2[i] * a1[i * m + j];
                    }
                    z2[j] = z;
                }
                ArrayMath.sigmoid(z2, a2);
                for (int j = 0; j < m; j++) {
                    oneMinusA2[j] = 1 - a2[j];
                }
                ArrayMath.log(a2, logA2);
                ArrayMath.log(oneMinusA2, logOneMinusA2);
                cost = 0;
                double[] dw2 = new double[h];
                double db2 = 0;
                for (int j = 0; j < m; j++) {
                    double p = a2[j];
                    cost += logA2[j] * y[j] + logOneMinusA2[j] * (1 - y[j]);
                    double dz2 = p - y[j];
                    db2 += dz2;
                    for (int i = 0; i < h; i++) {
                        double a = a1[i * m + j];
                        dw2[i] += dz2 * a;
                        dz1[i * m + j] = w2[i] * dz2 * (1 - a * a);
                    }
                }
                cost = -cost / m;
                double[] dw1 = new double[2 * h], db1 = new double[h];
                for (int i = 0; i < h; i++) {
                    double s0 = 0, s1 = 0, sb = 0;
                    for (int j = 0; j < m; j++) {
                        double d = dz1[i * m + j];
                        s0 += d * x[j];
                        s1 += d * x[m + j];
                        sb += d;
                    }
                    dw1[2 * i] = s0 / m;
                    dw1[2 * i + 1] = s1 / m;
                    db1[i] = sb / m;
                }
                for (int i = 0; i < 2 * h; i++) {
                    w1[i] -= lr * dw1[i];
                }
                for (int i = 0; i < h; i++) {
                    b1[i] -= lr * db1[i];
                    w2[i] -= lr * dw2[i] / m;
                }
                b2[0] -= lr * db2 / m;
            }
            return cost;
        }
    }

    // ------------------------------------------------------------------ scalar graphs

    /** micrograd's demo: MLP(2, [16, 16, 1]) of 1×1 values, hinge loss over 100 points, one step per run. */
    static void scalar() {
        NumpyRandom rng = new NumpyRandom(3);
        int n = 100;
        int[] sizes = {2, 16, 16, 1};
        Tensor[][][] w = new Tensor[3][][];
        Tensor[][] b = new Tensor[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = new Tensor[sizes[l + 1]][sizes[l]];
            b[l] = new Tensor[sizes[l + 1]];
            for (int o = 0; o < sizes[l + 1]; o++) {
                for (int i = 0; i < sizes[l]; i++) {
                    w[l][o][i] = Tensor.scalar(rng.rand() * 2 - 1).requiringGrad();
                }
                b[l][o] = Tensor.scalar(0).requiringGrad();
            }
        }
        double[][] pts = new double[n][2];
        double[] labels = new double[n];
        for (int k = 0; k < n; k++) {
            pts[k][0] = rng.randn();
            pts[k][1] = rng.randn();
            labels[k] = pts[k][0] * pts[k][1] > 0 ? 1 : -1;
        }
        long[] nodes = new long[1];
        double[] build = new double[ROUNDS], back = new double[ROUNDS];
        for (int r = -3; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            long count = 0;
            Tensor total = null;
            for (int k = 0; k < n; k++) {
                Tensor[] act = {Tensor.scalar(pts[k][0]), Tensor.scalar(pts[k][1])};
                for (int l = 0; l < 3; l++) {
                    Tensor[] next = new Tensor[sizes[l + 1]];
                    for (int o = 0; o < next.length; o++) {
                        Tensor s = b[l][o];
                        for (int i = 0; i < act.length; i++) {
                            s = s.add(w[l][o][i].mul(act[i]));
                            count += 2;
                        }
                        if (l < 2) {
                            s = s.relu();
                            count++;
                        }
                        next[o] = s;
                    }
                    act = next;
                }
                Tensor loss = act[0].mul(-labels[k]).add(1).relu();
                count += 3;
                total = total == null ? loss : total.add(loss);
                count += total == loss ? 0 : 1;
            }
            Tensor cost = total.mul(1.0 / n);
            count++;
            long t1 = System.nanoTime();
            cost.backward();
            long t2 = System.nanoTime();
            try (Grad.Scope off = Grad.disabled()) {
                for (int l = 0; l < 3; l++) {
                    for (int o = 0; o < sizes[l + 1]; o++) {
                        for (Tensor p : w[l][o]) {
                            p.addInPlace(p.grad(), -0.05);
                            p.zeroGrad();
                        }
                        b[l][o].addInPlace(b[l][o].grad(), -0.05);
                        b[l][o].zeroGrad();
                    }
                }
            }
            if (r >= 0) {
                build[r] = (t1 - t0) / 1e9;
                back[r] = (t2 - t1) / 1e9;
            }
            nodes[0] = count;
        }
        double tb = median(build), tk = median(back);
        System.out.printf(Locale.ROOT, "scalar MLP 2-16-16-1 x100  %d nodes   build %.1f ms   backward %.1f ms   %.2fM nodes/s%n",
                nodes[0], tb * 1e3, tk * 1e3, nodes[0] / (tb + tk) / 1e6);
        BenchResults.put("scalar.nodesPerSecond", nodes[0] / (tb + tk));
    }

    // ------------------------------------------------------------------ the million-op chain

    static void chain(int length) {
        double[] build = new double[3], back = new double[3];
        long[] bytes = new long[3];
        for (int r = 0; r < 3; r++) {
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            Tensor x = Tensor.scalar(1.0).requiringGrad();
            Tensor y = x;
            for (int i = 0; i < length; i++) {
                y = y.mul(1.0);
            }
            long t1 = System.nanoTime();
            y.backward();
            long t2 = System.nanoTime();
            bytes[r] = THREADS.getCurrentThreadAllocatedBytes() - a0;
            build[r] = (t1 - t0) / 1e9;
            back[r] = (t2 - t1) / 1e9;
            if (x.grad().item() != 1.0) {
                throw new AssertionError("chain gradient " + x.grad().item());
            }
        }
        System.out.printf(Locale.ROOT, "chain of %d mul   build %.2f s   backward %.2f s   total %.2f s   allocated %.0f MB   (max heap %d MB)%n",
                length, median(build), median(back), median(build) + median(back), median(bytesAsDouble(bytes)) / 1e6,
                Runtime.getRuntime().maxMemory() >> 20);
        BenchResults.put("chain.seconds", median(build) + median(back));
        BenchResults.put("chain.mb", median(bytesAsDouble(bytes)) / 1e6);
    }

    // ------------------------------------------------------------------ MLP step: allocation and overhead

    static void mlp(int batch, int steps) {
        int[] sizes = {784, 256, 128, 10};
        Benchmark.Workload chainrule = new Benchmark.Workload(batch); // the same step as the kernel benchmark's
        Runnable ours = () -> chainrule.steps(steps);
        HandMlp hand = new HandMlp(HandMlp.Products.CHAINRULE_KERNEL, sizes, chainrule.x, chainrule.y);
        Runnable reference = () -> {
            for (int s = 0; s < steps; s++) {
                hand.step(0.01);
            }
        };
        double[] t = medians(ours, reference);
        // allocation per step, measured after the warm-up
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        ours.run();
        long perStep = (THREADS.getCurrentThreadAllocatedBytes() - a0) / steps;
        long a1 = THREADS.getCurrentThreadAllocatedBytes();
        reference.run();
        long handPerStep = (THREADS.getCurrentThreadAllocatedBytes() - a1) / steps;
        // what a step must hold: each layer's Z and A (saved for the backward), the logits, one gradient per parameter
        long doubles = 0;
        for (int l = 0; l < 3; l++) {
            doubles += (long) sizes[l + 1] * batch * (l < 2 ? 2 : 1);
            doubles += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
        }
        long mustHold = doubles * 8;
        System.out.printf(Locale.ROOT, "MLP 784-256-128-10 batch %d  step: chainrule %.2f ms   by hand, same kernel %.2f ms   ratio %.2f%n",
                batch, t[0] / steps * 1e3, t[1] / steps * 1e3, t[0] / t[1]);
        System.out.printf(Locale.ROOT, "MLP 784-256-128-10 batch %d  allocated per step: chainrule %.0f KB (by hand %.0f KB),"
                + " must hold %.0f KB   ratio %.3f%n", batch, perStep / 1e3, handPerStep / 1e3, mustHold / 1e3,
                (double) perStep / mustHold);
        BenchResults.put("alloc.ratio." + batch, (double) perStep / mustHold);
    }

    // ------------------------------------------------------------------ timing helpers

    /**
     * Median seconds of each, alternating within each round, after {@code -Dbench.warmupSeconds}
     * (default 3) of both alternating, at least two runs each: a fresh JVM compiles the engine's
     * many small methods well after two runs (the planar network ran at a third of its speed in its
     * first 2000 iterations).
     */
    static double[] medians(Runnable ours, Runnable reference) {
        long end = System.nanoTime() + (long) (Double.parseDouble(System.getProperty("bench.warmupSeconds", "3")) * 1e9);
        for (int i = 0; i < 2 || System.nanoTime() < end; i++) {
            ours.run();
            reference.run();
        }
        double[] a = new double[ROUNDS], b = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            a[i] = time(ours);
            b[i] = time(reference);
        }
        return new double[] {median(a), median(b)};
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static double[] bytesAsDouble(long[] bytes) {
        double[] d = new double[bytes.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = bytes[i];
        }
        return d;
    }
}
