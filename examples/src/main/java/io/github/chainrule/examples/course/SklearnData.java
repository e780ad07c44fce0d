package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * Ports of scikit-learn's {@code make_circles} and {@code make_moons} on top of numpy's legacy
 * generator, as the course's notebooks call them ({@code random_state=None}, so they draw from
 * the global state that {@code np.random.seed(k)} set): points on the arcs, a shuffle of the
 * examples, then Gaussian noise. Features come out as rows: {@code X} is (2, m), {@code Y} (1, m).
 */
public final class SklearnData {
    /** Features (2, m). */
    public final Tensor x;
    /** Labels 0 or 1, (1, m). */
    public final Tensor y;

    private SklearnData(double[][] points, double[] labels) {
        int m = labels.length;
        double[] x = new double[2 * m];
        for (int i = 0; i < m; i++) {
            x[i] = points[i][0];
            x[m + i] = points[i][1];
        }
        this.x = Tensor.fromRowMajor(2, m, x).named("X");
        this.y = Tensor.fromRowMajor(1, m, labels).named("Y");
    }

    /** {@code np.random.seed(seed); sklearn.datasets.make_circles(n_samples=n, noise=noise)} (factor 0.8). */
    public static SklearnData circles(long seed, int n, double noise) {
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

    /** {@code np.random.seed(seed); sklearn.datasets.make_moons(n_samples=n, noise=noise)}. */
    public static SklearnData moons(long seed, int n, double noise) {
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

    /** {@code np.linspace(0, stop, num)[i]} with the endpoint included. */
    private static double linspace(double stop, int num, int i) {
        return i == num - 1 ? stop : i * (stop / (num - 1));
    }

    /** sklearn's {@code shuffle(X, y)} (a legacy shuffle of the indices), then {@code X += normal(scale=noise)}. */
    private static SklearnData shuffledWithNoise(NumpyRandom rng, double[][] p, double[] labels, double noise) {
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
        return new SklearnData(q, l);
    }
}
