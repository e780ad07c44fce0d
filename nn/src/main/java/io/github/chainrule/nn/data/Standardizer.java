package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * Per-feature standardization {@code x' = (x − μ) / σ}, with {@code μ} and {@code σ} of shape
 * {@code (n_x, 1)}: the mean and population standard deviation ({@code ddof = 0}, numpy's
 * {@code X.mean(axis=1, keepdims=True)}, {@code X.std(axis=1, keepdims=True)}) of each row of the
 * training inputs, across the {@code m} columns.
 *
 * <p>Fit it on the training set only and apply the same {@code μ, σ} to the test set, so that no
 * information from the test set leaks into training. A constant feature ({@code σ = 0}, or
 * {@code σ ≤ 1e-12·max(1, |μ|)}, which is rounding noise) is centered but not scaled ({@code σ}
 * is taken as 1), rather than producing NaN or huge values.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Computes {@code μ} and {@code σ} of each row of {@code X (n_x, m)}. */
    public static Standardizer fit(Tensor x) {
        Checks.notNull(x, "Standardizer.fit", "X");
        int n = x.rows(), m = x.cols();
        double[] data = x.toRowMajorArray();
        double[] mean = new double[n], std = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += data[i * m + j];
            }
            mean[i] = sum / m;
            // two-pass variance: no cancellation when |μ| ≫ σ
            double sq = 0;
            for (int j = 0; j < m; j++) {
                double d = data[i * m + j] - mean[i];
                sq += d * d;
            }
            std[i] = Math.sqrt(sq / m);
            Checks.argument(Double.isFinite(mean[i]) && Double.isFinite(std[i]), "Standardizer.fit: feature (row)"
                    + " %d of X %s has a non-finite mean or standard deviation (%s, %s)", i, x.shape(), mean[i], std[i]);
        }
        return new Standardizer(mean, std);
    }

    /** {@code μ}, shape {@code (n_x, 1)}. */
    public Tensor mean() {
        return Tensor.column(mean);
    }

    /** {@code σ}, shape {@code (n_x, 1)} (zeros for constant features, although 1 is used to divide). */
    public Tensor std() {
        return Tensor.column(std);
    }

    /**
     * {@code (X − μ) / σ} for {@code X (n_x, m)}, a new tensor.
     *
     * @throws IllegalArgumentException if {@code X} does not have {@code n_x} rows
     */
    public Tensor transform(Tensor x) {
        Checks.notNull(x, "Standardizer.transform", "X");
        Checks.argument(x.rows() == mean.length, "Standardizer.transform: X %s has %d rows but the standardizer"
                + " was fitted on %d features; expected shape (%d, m)", x.shape(), x.rows(), mean.length,
                mean.length);
        int n = x.rows(), m = x.cols();
        double[] data = x.toRowMajorArray();
        for (int i = 0; i < n; i++) {
            // a constant feature's σ may come out as rounding noise (1e-17) rather than 0: don't blow it up
            double scale = std[i] <= 1e-12 * Math.max(1, Math.abs(mean[i])) ? 1 : std[i];
            for (int j = 0; j < m; j++) {
                data[i * m + j] = (data[i * m + j] - mean[i]) / scale;
            }
        }
        return Tensor.fromRowMajor(n, m, data);
    }

    /** The data set with standardized inputs and the same labels. */
    public Dataset transform(Dataset data) {
        Checks.notNull(data, "Standardizer.transform", "data");
        return new Dataset(transform(data.x()), data.y());
    }

    /** The number of features {@code n_x}. */
    public int features() {
        return mean.length;
    }
}
