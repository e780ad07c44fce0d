package io.github.chainrule.autodiff;

/**
 * The composite operations of {@link Tensor}: written with {@link Primitive}s, which do the
 * differentiation, but recorded on the nodes they create so that readers keep their identity:
 * a drawing shows {@code a − b} as one box with its own symbol rather than an addition of a
 * negation ({@link ComputationGraph#collapsed}), and expands it on request.
 *
 * <p>{@code mean} is not one: it is drawn as the course writes it, {@code (1/m) Σ}, a sum and a
 * product with a constant.
 */
public enum Composite {
    /** {@code a − b} = {@code a + (−b)}. */
    SUB("sub", "−"),
    /** {@code a / b} = {@code a ⊙ b^−1}. */
    DIV("div", "÷"),
    /** {@code x^y} = {@code exp(y ⊙ log x)}. */
    POW("pow", "^"),
    /** Per column (or row) {@code e^x / Σ e^x}, shifted by the maximum. */
    SOFTMAX("softmax", "softmax"),
    /** {@code x − logSumExp(x)}, shifted by the maximum. */
    LOG_SOFTMAX("logSoftmax", "logSoftmax"),
    /** {@code log Σ e^x}, shifted by the maximum. */
    LOG_SUM_EXP("logSumExp", "logSumExp"),
    /** The adjoint of a broadcast: sums along the axes that {@code expand} repeated. */
    SUM_TO("sumTo", "sumTo");

    private final String opName;
    private final String symbol;

    Composite(String opName, String symbol) {
        this.opName = opName;
        this.symbol = symbol;
    }

    /** The operation's name as the API spells it. */
    public String opName() {
        return opName;
    }

    /** The symbol drawings show for it. */
    public String symbol() {
        return symbol;
    }

    /**
     * One call of a composite: the nodes recorded while it ran carry it (the innermost call),
     * and through {@link #parent()} the calls around it. Equal only to itself.
     */
    public static final class Call {
        private final Composite kind;
        private final Call parent;

        Call(Composite kind, Call parent) {
            this.kind = kind;
            this.parent = parent;
        }

        /** Which composite. */
        public Composite kind() {
            return kind;
        }

        /** The call this one ran inside, or {@code null}. */
        public Call parent() {
            return parent;
        }

        /** The outermost call around this one (this one if it has no parent). */
        public Call outermost() {
            Call c = this;
            while (c.parent != null) {
                c = c.parent;
            }
            return c;
        }

        @Override
        public String toString() {
            return kind.opName + (parent == null ? "" : " in " + parent);
        }
    }
}
