package io.github.chainrule.nn;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Tensor;

/**
 * Batch normalization over the batch axis: each of the {@code n} feature rows of an input
 * {@code (n, m)} is normalized with statistics over its m columns, then scaled and shifted by
 * learned {@code γ} (starts at 1) and {@code β} (starts at 0), both {@code (n, 1)}; see
 * {@link Functional#batchNorm} for the math and its gradient.
 *
 * <p>In training mode each forward also updates running averages (buffers
 * {@code runningMean}, starting at 0, and {@code runningVar}, starting at 1):
 * {@code running = momentum · running + (1 − momentum) · batch}, with the batch's biased
 * variance, as the course's exponentially weighted averages do. In evaluation mode
 * ({@link Module#eval()}) the running averages replace the batch statistics, so a single
 * example gives a deterministic output ({@link Functional#batchNormInference}).
 *
 * <p>Placed after a {@link Dense} with {@link Activation#IDENTITY} and before an
 * {@link ActivationLayer}, it normalizes {@code Z[l]} as in the course (the Dense bias is then
 * redundant: β takes its role).
 */
public final class BatchNorm extends Layer {
    /** Default ε added to the variance. */
    public static final double DEFAULT_EPS = 1e-5;
    /** Default momentum of the running averages. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final int features;
    private final double momentum;
    private final double eps;
    private final Tensor gamma;
    private final Tensor beta;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** Batch normalization of {@code features} rows with momentum 0.9 and ε = 1e-5. */
    public BatchNorm(int features) {
        this(features, DEFAULT_MOMENTUM, DEFAULT_EPS);
    }

    /**
     * @param features the number of rows {@code n} of the input
     * @param momentum weight of the old running average, in [0, 1)
     * @param eps      added to the variance before the square root, > 0
     */
    public BatchNorm(int features, double momentum, double eps) {
        super("batchnorm");
        Checks.argument(features > 0, "BatchNorm: features must be positive, got %d", features);
        Checks.argument(momentum >= 0 && momentum < 1, "BatchNorm: momentum must be in [0, 1), got %s", momentum);
        Checks.argument(eps > 0 && Double.isFinite(eps), "BatchNorm: eps must be > 0, got %s", eps);
        this.features = features;
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = registerParameter("gamma", Tensor.ones(features, 1));
        this.beta = registerParameter("beta", Tensor.zeros(features, 1));
        this.runningMean = registerBuffer("runningMean", Tensor.zeros(features, 1));
        this.runningVar = registerBuffer("runningVar", Tensor.ones(features, 1));
        renameTensors();
    }

    @Override
    void renameTensors() {
        gamma.named(course("gamma"));
        beta.named(course("beta"));
        runningMean.named(course("runningMean"));
        runningVar.named(course("runningVar"));
    }

    /**
     * Normalizes {@code x} of shape {@code (features, m)}: with the batch statistics in training
     * mode (updating the running averages), with the running averages in evaluation mode.
     *
     * @throws IllegalArgumentException if {@code x} does not have {@code features} rows
     */
    @Override
    public Tensor forward(Tensor x) {
        Checks.notNull(x, who(), "input");
        Checks.argument(x.rows() == features, "%s: input has %d rows but %s is %s: expected input of shape (%d, m)",
                who(), x.rows(), gamma.name(), gamma.shape(), features);
        if (!isTraining()) {
            return Functional.batchNormInference(x, gamma, beta, runningMean, runningVar, eps)
                    .named("BN(" + course("Z") + ")");
        }
        Checks.argument(x.cols() >= 2, "%s: training mode needs a batch of at least 2 columns to estimate the"
                + " mean and variance, got %s; hint: call eval() to use the running statistics", who(), x.shape());
        Tensor out = Functional.batchNorm(x, gamma, beta, eps).named("BN(" + course("Z") + ")");
        try (Grad.Scope off = Grad.disabled()) {
            Tensor mean = x.mean(1, true);
            Tensor var = x.sub(mean).pow(2).mean(1, true);
            runningMean.assign(runningMean.mul(momentum).add(mean.mul(1 - momentum)));
            runningVar.assign(runningVar.mul(momentum).add(var.mul(1 - momentum)));
        }
        return out;
    }

    /** The scale {@code γ}, {@code (features, 1)}. */
    public Tensor gamma() {
        return gamma;
    }

    /** The shift {@code β}, {@code (features, 1)}. */
    public Tensor beta() {
        return beta;
    }

    /** The running mean used in evaluation mode, {@code (features, 1)}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (biased) variance used in evaluation mode, {@code (features, 1)}. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String toString() {
        return String.format("%s: BatchNorm(%d, momentum = %s, eps = %s)", layerName(), features, momentum, eps);
    }
}
