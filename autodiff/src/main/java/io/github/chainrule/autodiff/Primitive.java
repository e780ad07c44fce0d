package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The primitive operations: every node of a graph is computed by one of these. Each carries its
 * name, its symbol for drawings, its arity and, per input, the derivative: the rule written with
 * tensor operations (in the class that holds the forward kernel, beside it) and its formula as a
 * {@link Formula} value. Graph readers (drawings, traces, diagnostics) switch exhaustively on
 * this type and read formulas as values; they never parse text, so renaming a symbol or rewording
 * a formula here changes them without editing them, and a new primitive they do not handle is a
 * compile error. Composite operations ({@code sub}, {@code div}, {@code softmax}, ...) are not
 * here: they are built from these.
 */
public enum Primitive {
    /** {@code a + b} (operands already broadcast by {@link #EXPAND}). */
    ADD("add", "+", 2, Elementwise.ADD),
    /** {@code x + c} for a constant c. */
    ADD_CONSTANT("add", "+", 1, Elementwise.ADD_CONSTANT),
    /** {@code a ⊙ b}, the elementwise product. */
    MUL("mul", "×", 2, Elementwise.MUL),
    /** {@code c · x} for a constant c. */
    MUL_CONSTANT("mul", "×", 1, Elementwise.MUL_CONSTANT),
    /**
     * {@code a ⊙ b}, but 0 where {@code a} is 0 even if {@code b} is infinite: an upstream gradient
     * times a local derivative, inside backward rules (log at 0 behind a relu stays finite).
     */
    UPSTREAM_TIMES("upstreamTimes", "×", 2, Elementwise.UPSTREAM_TIMES),
    /** {@code −x}. */
    NEG("neg", "−x", 1, Elementwise.NEG),
    /** {@code x^p} for a constant p. */
    POW("pow", "x^", 1, Elementwise.POW),
    /** {@code e^x}. */
    EXP("exp", "exp", 1, Elementwise.EXP),
    /** {@code log x}. */
    LOG("log", "log", 1, Elementwise.LOG),
    /** {@code √x}. */
    SQRT("sqrt", "sqrt", 1, Elementwise.SQRT),
    /** {@code |x|}. */
    ABS("abs", "abs", 1, Elementwise.ABS),
    /** {@code tanh x}. */
    TANH("tanh", "tanh", 1, Elementwise.TANH),
    /** {@code σ(x)}. */
    SIGMOID("sigmoid", "σ", 1, Elementwise.SIGMOID),
    /** {@code max(x, 0)}. */
    RELU("relu", "relu", 1, Elementwise.RELU),
    /** {@code x > 0 ? x : α·x}. */
    LEAKY_RELU("leakyRelu", "leakyRelu", 1, Elementwise.LEAKY_RELU),
    /** {@code x > 0 ? x : α·(e^x − 1)}. */
    ELU("elu", "elu", 1, Elementwise.ELU),
    /** Elementwise larger of two operands. */
    MAXIMUM("maximum", "maximum", 2, Elementwise.EXTREMUM),
    /** Elementwise smaller of two operands. */
    MINIMUM("minimum", "minimum", 2, Elementwise.EXTREMUM),
    /** {@code xᵀ}. */
    TRANSPOSE("transpose", "ᵀ", 1, Structure.TRANSPOSE),
    /** The same elements in a new shape. */
    RESHAPE("reshape", "reshape", 1, Structure.RESHAPE),
    /** A block of rows and columns. */
    SLICE("slice", "slice", 1, Structure.SLICE),
    /** An input placed into zeros (the adjoint of a slice). */
    PAD("pad", "pad", 1, Structure.PAD),
    /** Columns gathered by index. */
    SELECT_COLUMNS("selectColumns", "selectColumns", 1, Structure.SELECT_COLUMNS),
    /** Columns added into zeros at their indices (the adjoint of a gather). */
    SCATTER_COLUMNS("scatterColumns", "scatterColumns", 1, Structure.SCATTER_COLUMNS),
    /** Parts joined along an axis; any number of inputs. */
    CONCAT("concat", "concat", -1 /* VARIADIC */, Structure.CONCAT),
    /** Broadcasting: size-1 axes repeated; its gradient is summed back. */
    EXPAND("expand", "broadcast", 1, Reductions.EXPAND),
    /** The sum of all elements. */
    SUM("sum", "Σ", 1, Reductions.SUM),
    /** The sum along an axis (kept with size 1). */
    SUM_AXIS("sum", "Σ", 1, Reductions.SUM),
    /** The maximum along an axis (kept with size 1). */
    MAX_AXIS("max", "max", 1, Reductions.MAX_AXIS),
    /** {@code A·B}. */
    MATMUL("matmul", "matmul", 2, MatMul.PLAIN),
    /** {@code A·Bᵀ} (created by backward rules, so that no transpose is copied). */
    MATMUL_RIGHT_TRANSPOSED("matmul", "matmul", 2, MatMul.RIGHT_TRANSPOSED),
    /** {@code Aᵀ·B} (created by backward rules). */
    MATMUL_LEFT_TRANSPOSED("matmul", "matmul", 2, MatMul.LEFT_TRANSPOSED),
    /** Binary cross-entropy from logits, fused for stability. */
    SIGMOID_CROSS_ENTROPY("sigmoidCrossEntropyWithLogits", "sigmoidCrossEntropyWithLogits", 2, Fused.SIGMOID_CROSS_ENTROPY),
    /** Binary cross-entropy of probabilities, logs floored. */
    BINARY_CROSS_ENTROPY("binaryCrossEntropy", "binaryCrossEntropy", 2, Fused.BINARY_CROSS_ENTROPY),
    /** Softmax cross-entropy from logits per column, through log-sum-exp. */
    SOFTMAX_CROSS_ENTROPY("softmaxCrossEntropyWithLogits", "softmaxCrossEntropyWithLogits", 2, Fused.SOFTMAX_CROSS_ENTROPY);

    /** The {@link #arity()} of an operation that takes any number of inputs. */
    public static final int VARIADIC = -1;

    private final String opName;
    private final String symbol;
    private final int arity;
    /** One rule per input; a variadic primitive has one rule for all its inputs. */
    final Rule[] rules;

    Primitive(String opName, String symbol, int arity, Rule[] rules) {
        this.opName = opName;
        this.symbol = symbol;
        this.arity = arity;
        this.rules = rules;
    }

    /** The operation's name as the API spells it ({@code "add"}, {@code "matmul"}); several primitives may share one. */
    public String opName() {
        return opName;
    }

    /** The symbol drawings show ({@code "+"}, {@code "×"}, {@code "σ"}, {@code "Σ"}). */
    public String symbol() {
        return symbol;
    }

    /** How many inputs it takes, or {@link #VARIADIC}. */
    public int arity() {
        return arity;
    }

    /** How many distinct derivatives it has: its arity, or 1 for a variadic one (the same rule for every part). */
    public int derivativeCount() {
        return rules.length;
    }

    /** The derivative's formula for input {@code input}, e.g. {@code g · b} for input 0 of {@link #MUL}. */
    public Formula formula(int input) {
        return rules[Math.min(input, rules.length - 1)].formula();
    }

    /** The letter the formulas call input {@code input} ({@code a}, {@code x}, {@code A}, {@code part}). */
    public String inputLetter(int input) {
        return rules[Math.min(input, rules.length - 1)].input();
    }

    /** The formulas of every input as plain text with parameters named, e.g. {@code [∂/∂a = g · b, ∂/∂b = g · a]}. */
    public List<String> formulas() {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            out.add("∂/∂" + r.input() + " = " + r.formula().plain());
        }
        return Collections.unmodifiableList(out);
    }

    /** The call's parameter as text for drawings ({@code 3} for {@code 3 · x}, {@code axis 1}), or {@code null}. */
    String detail(Node n, Shape out) {
        Attrs a = n.attrs;
        return switch (this) {
            case ADD_CONSTANT, MUL_CONSTANT, POW, LEAKY_RELU, ELU -> Format.number(a.constant());
            case RESHAPE, EXPAND -> n.inputs[0].shape() + " → " + out;
            case SLICE -> "[" + a.ints()[0] + ":" + a.ints()[1] + ", " + a.ints()[2] + ":" + a.ints()[3] + "]";
            case PAD -> out + " at (" + a.ints()[0] + ", " + a.ints()[1] + ")";
            case SELECT_COLUMNS -> out.cols() + " of " + n.inputs[0].cols();
            case SCATTER_COLUMNS -> a.ints().length + " into " + out.cols();
            case CONCAT, SUM_AXIS, MAX_AXIS -> "axis " + a.axis();
            case MATMUL_RIGHT_TRANSPOSED -> "A·Bᵀ";
            case MATMUL_LEFT_TRANSPOSED -> "Aᵀ·B";
            case ADD, MUL, UPSTREAM_TIMES, NEG, EXP, LOG, SQRT, ABS, TANH, SIGMOID, RELU, MAXIMUM, MINIMUM, TRANSPOSE,
                    SUM, MATMUL, SIGMOID_CROSS_ENTROPY, BINARY_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY -> null;
        };
    }
}
