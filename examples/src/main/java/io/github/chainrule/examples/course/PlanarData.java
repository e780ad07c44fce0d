package io.github.chainrule.examples.course;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;

/**
 * The course's planar "flower" data set: two classes of 200 points on the petals of
 * {@code r = 4·sin(4t)}, with noise, drawn exactly as the notebook's {@code load_planar_dataset}
 * (numpy seed 1), so {@code X} (2, 400) and {@code Y} (1, 400) equal the notebook's arrays.
 */
public final class PlanarData {
    /** Features, (2, 400): one point per column. */
    public final Tensor x;
    /** Labels 0 or 1, (1, 400). */
    public final Tensor y;

    private PlanarData(Tensor x, Tensor y) {
        this.x = x;
        this.y = y;
    }

    /** The notebook's data: {@code np.random.seed(1)}, m = 400, N = 200 per class, a = 4. */
    public static PlanarData flower() {
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
        return new PlanarData(Tensor.fromRowMajor(2, m, x).named("X"), Tensor.fromRowMajor(1, m, y).named("Y"));
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
}
