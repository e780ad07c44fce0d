package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * The course's data sets, generated in code exactly as the notebooks generate them (no download), one
 * example per column: {@code X} is {@code (2, m)} and {@code Y} {@code (1, m)} with labels 0 or 1.
 *
 * <ul>
 *   <li>{@link #flower()}: the planar "flower" of the one-hidden-layer assignment ({@code load_planar_dataset},
 *       numpy seed 1), bit for bit;</li>
 *   <li>{@link #circles(long, int, double)}: scikit-learn's {@code make_circles} after {@code np.random.seed(seed)}
 *       (the initialization assignment: {@code circles(1, 300, .05)} to train, {@code circles(2, 100, .05)} to
 *       test), bit for bit;</li>
 *   <li>{@link #moons(long, int, double)}: scikit-learn's {@code make_moons} after {@code np.random.seed(seed)}
 *       (the optimization assignment: {@code moons(3, 300, .2)}), to 1e-15.</li>
 * </ul>
 * All draw from {@link NumpyRandom}, numpy's legacy generator. The values are checked against numpy 1.24 /
 * scikit-learn 1.2.1 in {@code DatasetsTest} (provenance in {@code docs/course-references.md}).
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * The notebook's planar "flower": two classes of 200 points on the petals of {@code r = 4·sin(4t)} with
     * noise; {@code np.random.seed(1)}, m = 400, N = 200 per class, a = 4. {@code X} (2, 400), {@code Y} (1, 400),
     * named "X" and "Y".
     */
    public static Dataset flower() {
        NumpyRandom rng = new NumpyRandom(1);
        int n = 200, m = 2 * n;
        double[] x = new double[2 * m], y = new double[m];
        for (int j = 0; j < 2; j++) {
            double[] t = linspace(j * 3.12, (j + 1) * 3.12, n);
            double[] noiseT = rng.randn(n);
            for (int i = 0; i < n; i++) {
                t[i] += noiseT[i] * 0.2;
            }
            double[] noiseR = rng.randn(n);
            for (int i = 0; i < n; i++) {
                double r = 4 * Math.sin(4 * t[i]) + noiseR[i] * 0.2;
                int col = n * j + i;
                x[col] = r * Math.sin(t[i]);
                x[m + col] = r * Math.cos(t[i]);
                y[col] = j;
            }
        }
        return new Dataset(Tensor.fromRowMajor(2, m, x).named("X"), Tensor.fromRowMajor(1, m, y).named("Y"));
    }

    /**
     * {@code np.random.seed(seed); sklearn.datasets.make_circles(n_samples=n, noise=noise)} (factor 0.8): the
     * points on the two circles, a shuffle of the examples, then Gaussian noise.
     *
     * @throws IllegalArgumentException if {@code n < 2} or {@code noise < 0}
     */
    public static Dataset circles(long seed, int n, double noise) {
        check("circles", n, noise);
        int out = n / 2, in = n - out;
        double[][] p = new double[n][];
        double[] labels = new double[n];
        for (int i = 0; i < out; i++) {
            double t = 2 * Math.PI / out * i;
            p[i] = new double[] {Math.cos(t), Math.sin(t)};
        }
        for (int i = 0; i < in; i++) {
            double t = 2 * Math.PI / in * i;
            p[out + i] = new double[] {Math.cos(t) * 0.8, Math.sin(t) * 0.8};
            labels[out + i] = 1;
        }
        return shuffledWithNoise(new NumpyRandom(seed), p, labels, noise);
    }

    /**
     * {@code np.random.seed(seed); sklearn.datasets.make_moons(n_samples=n, noise=noise)}: the points on the two
     * half circles, a shuffle of the examples, then Gaussian noise.
     *
     * @throws IllegalArgumentException if {@code n < 2} or {@code noise < 0}
     */
    public static Dataset moons(long seed, int n, double noise) {
        check("moons", n, noise);
        int out = n / 2, in = n - out;
        double[][] p = new double[n][];
        double[] labels = new double[n];
        for (int i = 0; i < out; i++) {
            double t = linspace(Math.PI, out, i);
            p[i] = new double[] {Math.cos(t), Math.sin(t)};
        }
        for (int i = 0; i < in; i++) {
            double t = linspace(Math.PI, in, i);
            p[out + i] = new double[] {1 - Math.cos(t), 1 - Math.sin(t) - 0.5};
            labels[out + i] = 1;
        }
        return shuffledWithNoise(new NumpyRandom(seed), p, labels, noise);
    }

    private static void check(String op, int n, double noise) {
        Checks.argument(n >= 2, "Datasets.%s: n_samples must be at least 2, got %d", op, n);
        Checks.argument(noise >= 0 && Double.isFinite(noise), "Datasets.%s: noise must be finite and >= 0, got %s",
                op, noise);
    }

    /** numpy's {@code linspace(start, stop, num)}: {@code start + i·step}, the last point exactly {@code stop}. */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /** {@code np.linspace(0, stop, num)[i]} with the endpoint included. */
    private static double linspace(double stop, int num, int i) {
        return i == num - 1 ? stop : i * (stop / (num - 1));
    }

    /** sklearn's {@code shuffle(X, y)} (a legacy shuffle of the indices), then {@code X += normal(scale=noise)}. */
    private static Dataset shuffledWithNoise(NumpyRandom rng, double[][] p, double[] labels, double noise) {
        int n = labels.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        rng.shuffle(idx);
        double[][] q = new double[n][];
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = p[idx[i]].clone();
            l[i] = labels[idx[i]];
        }
        for (double[] point : q) {
            point[0] += rng.normal(0, noise);
            point[1] += rng.normal(0, noise);
        }
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            x[i] = q[i][0];
            x[n + i] = q[i][1];
        }
        return new Dataset(Tensor.fromRowMajor(2, n, x).named("X"), Tensor.fromRowMajor(1, n, l).named("Y"));
    }
}
