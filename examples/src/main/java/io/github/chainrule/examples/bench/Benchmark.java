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
import java.util.Arrays;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A plain timed runner: each workload runs on chainrule and on a reference measured in the
 * same run (the same math hand-written on EJML, and numpy when python3 has it), several rounds
 * after a warm-up; it prints medians and the ratio of times (above 1: chainrule is slower). Timings on a shared machine are noisy: read
 * the ratios, not the absolute numbers.
 *
 * <pre>mvn -q -Pbench package -DskipTests</pre>
 */
public final class Benchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 11);

    private Benchmark() {
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "chainrule benchmark: %d rounds, medians; java %s, %d cores%n", ROUNDS,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        matmul(256);
        matmul(512);
        double ours = mlp(784, 256, 128, 10, 128, 20);
        numpyReference(ours);
    }

    /**
     * The same MLP step in numpy (resource {@code bench/mlp_numpy.py}), when {@code python3} with
     * numpy is on the PATH; skipped otherwise. numpy multiplies through its BLAS (OpenBLAS).
     */
    static void numpyReference(double oursSamplesPerSecond) {
        try {
            Path script = Files.createTempFile("chainrule-mlp", ".py");
            try {
                try (InputStream in = Benchmark.class.getResourceAsStream("/bench/mlp_numpy.py")) {
                    Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                }
                Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(ROUNDS))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    System.out.println("numpy reference skipped: " + out.lines().reduce((a, b) -> b).orElse(""));
                    return;
                }
                double numpy = Double.parseDouble(out);
                System.out.printf(Locale.ROOT, "MLP 784-256-128-10 batch 128  chainrule %7.0f samples/s         numpy        %7.0f samples/s   ratio %.2f%n",
                        oursSamplesPerSecond, numpy, numpy / oursSamplesPerSecond);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            System.out.println("numpy reference skipped: " + e.getMessage());
        }
    }

    /** C = A·B, square, through chainrule's matmul vs EJML's CommonOps_DDRM.mult. */
    static void matmul(int n) {
        NumpyRandom rng = new NumpyRandom(0);
        Tensor a = Tensor.randn(n, n, rng), b = Tensor.randn(n, n, rng);
        DMatrixRMaj ea = a.toEjml(), eb = b.toEjml(), ec = new DMatrixRMaj(n, n);
        double flops = 2.0 * n * n * n;
        double[] t = medians(() -> a.matmul(b), () -> CommonOps_DDRM.mult(ea, eb, ec));
        double ours = t[0], ref = t[1];
        System.out.printf(Locale.ROOT, "matmul %d³              chainrule %7.1f ms (%4.2f GFLOP/s)   EJML %7.1f ms   ratio %.2f%n",
                n, ours * 1e3, flops / ours / 1e9, ref * 1e3, ours / ref);
    }

    /**
     * One training step (forward, backward, SGD update) of a ReLU MLP with softmax
     * cross-entropy, f64, on a batch of {@code batch} columns.
     */
    static double mlp(int nIn, int h1, int h2, int nOut, int batch, int steps) {
        NumpyRandom rng = new NumpyRandom(1);
        Tensor x = Tensor.randn(nIn, batch, rng);
        double[] oneHot = new double[nOut * batch];
        for (int j = 0; j < batch; j++) {
            oneHot[(j % nOut) * batch + j] = 1;
        }
        Tensor y = Tensor.fromRowMajor(nOut, batch, oneHot);
        int[] sizes = {nIn, h1, h2, nOut};
        Tensor[] w = new Tensor[3], b = new Tensor[3];
        for (int l = 0; l < 3; l++) {
            w[l] = Tensor.randn(sizes[l + 1], sizes[l], rng).mul(Math.sqrt(2.0 / sizes[l])).detach().requiringGrad();
            b[l] = Tensor.zeros(sizes[l + 1], 1).requiringGrad();
        }
        Runnable ours = () -> {
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
                        w[l].addInPlace(w[l].grad(), -0.01);
                        b[l].addInPlace(b[l].grad(), -0.01);
                        w[l].zeroGrad();
                        b[l].zeroGrad();
                    }
                }
            }
        };
        EjmlMlp ref = new EjmlMlp(sizes, x, y);
        Runnable reference = () -> {
            for (int s = 0; s < steps; s++) {
                ref.step(0.01);
            }
        };
        double[] t = medians(ours, reference);
        double tOurs = t[0], tRef = t[1];
        double samples = (double) steps * batch;
        System.out.printf(Locale.ROOT, "MLP %d-%d-%d-%d batch %d  chainrule %7.0f samples/s         EJML by hand %7.0f samples/s   ratio %.2f%n",
                nIn, h1, h2, nOut, batch, samples / tOurs, samples / tRef, tOurs / tRef);
        return samples / tOurs;
    }

    /**
     * Median wall times in seconds of {@code ours} and {@code reference} over ROUNDS rounds, after
     * two warm-up runs each; the two alternate within each round, so that a burst of load on the
     * shared machine falls on both alike.
     */
    static double[] medians(Runnable ours, Runnable reference) {
        for (int i = 0; i < 2; i++) {
            ours.run();
            reference.run();
        }
        double[] a = new double[ROUNDS], b = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            a[i] = time(ours);
            b[i] = time(reference);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new double[] {a[ROUNDS / 2], b[ROUNDS / 2]};
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
