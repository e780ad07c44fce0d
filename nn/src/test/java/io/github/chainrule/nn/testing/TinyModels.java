package io.github.chainrule.nn.testing;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Loss;
import io.github.chainrule.nn.Module;

/** Small hand-written models and losses for the nn tests, independent of Dense and Losses. */
public final class TinyModels {
    private TinyModels() {
    }

    /** Logistic regression: {@code A = σ(W·X + b)}, W (1, n_x), b (1, 1). */
    public static final class LogisticRegression extends Module {
        public final Tensor w;
        public final Tensor b;

        public LogisticRegression(int nx) {
            w = registerWeight("W", Tensor.zeros(1, nx).named("W"));
            b = registerParameter("b", Tensor.zeros(1, 1).named("b"));
        }

        @Override
        public Tensor forward(Tensor x) {
            return w.matmul(x).add(b).sigmoid();
        }
    }

    /** {@code Z = W·A + b} with an optional tanh, W (nOut, nIn), b (nOut, 1). */
    public static final class Linear extends Module {
        public final Tensor w;
        public final Tensor b;
        private final boolean tanh;

        public Linear(double[][] w, double[] b, boolean tanh) {
            this.w = registerWeight("W", Tensor.of(w));
            this.b = registerParameter("b", Tensor.column(b));
            this.tanh = tanh;
        }

        @Override
        public Tensor forward(Tensor a) {
            Tensor z = w.matmul(a).add(b);
            return tanh ? z.tanh() : z;
        }
    }

    /** Two layers registered as {@code hidden1} and {@code output}: parameters hidden1.W, hidden1.b, output.W, output.b. */
    public static final class TwoLayer extends Module {
        public final Linear hidden1;
        public final Linear output;

        public TwoLayer() {
            hidden1 = registerModule("hidden1", new Linear(new double[][] {{0.1, -0.2}, {0.3, 0.05}, {-0.1, 0.2}},
                    new double[] {0, 0, 0}, true));
            output = registerModule("output", new Linear(new double[][] {{0.2, -0.1, 0.3}}, new double[] {0}, false));
        }

        @Override
        public Tensor forward(Tensor x) {
            return output.forward(hidden1.forward(x)).sigmoid();
        }
    }

    /** Binary cross-entropy of probabilities {@code A} against labels {@code Y}, mean over columns. */
    public static Loss binaryCrossEntropy() {
        return (a, y) -> a.log().mul(y).add(a.neg().add(1).log().mul(y.neg().add(1))).mean().neg();
    }

    /** Mean squared error {@code mean((A − Y)²)}. */
    public static Loss meanSquaredError() {
        return (a, y) -> a.sub(y).pow(2).mean();
    }
}
