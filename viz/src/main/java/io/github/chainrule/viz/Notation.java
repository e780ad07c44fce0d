package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Composite;
import io.github.chainrule.autodiff.Format;
import io.github.chainrule.autodiff.Formula;
import io.github.chainrule.autodiff.GraphNode;
import io.github.chainrule.autodiff.Primitive;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Course notation shared by drawings and traces: names and gradient names ({@code W[1]},
 * {@code dW[1]}), forward expressions ({@code u = b · c}), backward rules with the operands'
 * names put in ({@code ∂u/∂b = c}), layer indices and number formatting. Operations are told
 * apart by their {@link Primitive} (an exhaustive switch), and rules are rendered from their
 * {@link Formula} values; no text is parsed.
 */
final class Notation {
    /**
     * A name ending in a layer index, {@code W[1]}, {@code A[12]}, possibly inside parentheses as
     * nn names batch norm and dropout outputs: {@code BN(Z[1])}, {@code dropout(A[2])}.
     */
    private static final Pattern LAYER = Pattern.compile(".*\\[(\\d+)]\\)*");
    private static final int SMALL = 4;
    private static final int MAX_EXPRESSION = 48;

    private Notation() {
    }

    /** The layer index of a name in course notation, or −1. */
    static int layerOf(String name) {
        if (name == null) {
            return -1;
        }
        Matcher m = LAYER.matcher(name);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final int MAX_REF = 28;

    /**
     * How a node is called in text: its name; a scalar constant's value; for an unnamed result its
     * short expression ({@code W[1]·X}), or its op and id ({@code log#20}, as the drawing's header
     * shows it) when the expression is long; a broadcast is {@code broadcast b[1]}.
     */
    static String ref(GraphNode n) {
        if (n.name() != null) {
            return n.name();
        }
        if (n.isLeaf()) {
            return n.shape().isScalar() ? scalar(n.value().item()) : "const#" + n.id();
        }
        if (isExpand(n)) {
            return "broadcast " + ref(n.inputs().get(0));
        }
        String e = strip(expression(n, 1));
        return e.length() > MAX_REF || e.contains("…") ? n.op() + "#" + n.id() : e;
    }

    /** The gradient's name in course notation: {@code db} for {@code b}, {@code d(W[1]·A[0])} for an unnamed node. */
    static String gradName(GraphNode n) {
        return n.name() != null ? "d" + n.name() : "d(" + ref(n) + ")";
    }

    /** Removes one pair of parentheses that encloses the whole text. */
    static String strip(String e) {
        if (!e.startsWith("(") || !e.endsWith(")")) {
            return e;
        }
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            depth += e.charAt(i) == '(' ? 1 : e.charAt(i) == ')' ? -1 : 0;
            if (depth == 0 && i < e.length() - 1) {
                return e;
            }
        }
        return e.substring(1, e.length() - 1);
    }

    /** Whether the node is drawn as its own value box (expand nodes fold into their consumer). */
    static boolean isExpand(GraphNode n) {
        return n.primitive() == Primitive.EXPAND;
    }

    /** The forward computation as an equation: {@code u = b · c}, or just the name for a leaf. */
    static String equation(GraphNode n) {
        if (n.isLeaf()) {
            return ref(n);
        }
        String rhs = expression(n, 0);
        return n.name() != null ? n.name() + " = " + rhs : rhs;
    }

    /** How an operand appears inside an expression. */
    private static String operand(GraphNode n, int depth) {
        if (n.name() != null) {
            return n.name();
        }
        if (n.isLeaf()) {
            return ref(n);
        }
        if (isExpand(n)) {
            return operand(n.inputs().get(0), depth);
        }
        String e = expression(n, depth + 1);
        return atomic(e) ? e : "(" + e + ")";
    }

    /** Whether an expression needs no parentheses as an operand: no space outside parentheses. */
    private static boolean atomic(String e) {
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ' ' && depth == 0) {
                return false;
            }
        }
        return true;
    }



    /** The right-hand side of a node's equation, e.g. {@code W[1]·A[0] + b[1]}. */
    static String expression(GraphNode n, int depth) {
        List<GraphNode> in = n.inputs();
        if (depth > 3) {
            return n.op() + "(…)";
        }
        Primitive p = n.primitive();
        String d = n.detail();
        String x = in.isEmpty() ? "" : operand(in.get(0), depth), y = in.size() > 1 ? operand(in.get(1), depth) : "";
        String xa = strip(x);
        if (p == null) {
            String c = compositeExpression(n, n.composite(), x, y, depth);
            return c.length() > MAX_EXPRESSION && depth > 0 ? n.op() + "(…)" : c;
        }
        String e = switch (p) {
            case ADD -> x + " + " + y;
            case ADD_CONSTANT -> x + " + " + d;
            case MUL, UPSTREAM_TIMES -> x + " · " + y;
            case MUL_CONSTANT -> d + " · " + x;
            case NEG -> "−" + x;
            case POW -> x + "^" + d;
            case MATMUL -> x + "·" + y;
            case MATMUL_RIGHT_TRANSPOSED -> x + "·" + y + "ᵀ";
            case MATMUL_LEFT_TRANSPOSED -> x + "ᵀ·" + y;
            case TRANSPOSE -> x + p.symbol();
            case SUM -> p.symbol() + " " + x;
            case SUM_AXIS, MAX_AXIS -> n.op() + "(" + xa + ", axis=" + (int) n.constant() + ")";
            case EXPAND -> p.symbol() + " " + x + " " + d;
            case LEAKY_RELU, ELU -> p.symbol() + "(" + xa + ", " + d + ")";
            case EXP, LOG, SQRT, ABS, TANH, SIGMOID, RELU -> p.symbol() + "(" + xa + ")";
            case MAXIMUM, MINIMUM, RESHAPE, SLICE, PAD, SELECT_COLUMNS, SCATTER_COLUMNS, CONCAT, SIGMOID_CROSS_ENTROPY,
                    BINARY_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY -> call(p.symbol(), n, d, depth);
        };
        return e.length() > MAX_EXPRESSION && depth > 0 ? n.op() + "(…)" : e;
    }

    /** A collapsed composite's right-hand side: {@code a − b}, {@code a / b}, {@code softmax(z)}. */
    private static String compositeExpression(GraphNode n, Composite c, String x, String y, int depth) {
        return switch (c) {
            case SUB -> x + " − " + y;
            case DIV -> x + " / " + y;
            case POW -> x + c.symbol() + y;
            case SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, SUM_TO -> call(c.symbol(), n, null, depth);
        };
    }

    /** {@code f(x, y, detail)}. */
    private static String call(String f, GraphNode n, String d, int depth) {
        StringBuilder b = new StringBuilder(f).append('(');
        List<GraphNode> in = n.inputs();
        for (int i = 0; i < in.size(); i++) {
            b.append(i > 0 ? ", " : "").append(strip(operand(in.get(i), depth)));
        }
        if (d != null) {
            b.append(in.isEmpty() ? "" : ", ").append(d);
        }
        return b.append(')').toString();
    }

    /**
     * The local derivative ∂n/∂input {@code i} as a formula with names put in: the backward
     * rule with the upstream gradient set to 1 ({@link Formula#withUnitUpstream()}). {@code c} for
     * {@code u = b · c} and input {@code b}, {@code 1} for an addition, {@code 3} for
     * {@code J = 3 · v}, {@code 1 / a} for {@code u = log(a)}; {@code null} for a collapsed composite,
     * which has no formula of its own (its value is computed through its primitives).
     */
    static String localRule(GraphNode n, int i) {
        if (n.composite() != null) {
            return null;
        }
        return n.formula(i).withUnitUpstream().render(course(n, i));
    }

    /** The whole backward rule of input {@code i} as course notation: {@code dW = dZ · A[0]ᵀ}. */
    static String backwardRule(GraphNode n, int i) {
        GraphNode input = n.inputs().get(i);
        if (isExpand(n)) {
            return gradName(input) + " = " + expandSum(n, gradName(n));
        }
        if (n.composite() != null) {
            return gradName(input) + " = " + operandText(gradName(n)) + " · ∂" + ref(n) + "/∂" + ref(input);
        }
        return gradName(input) + " = " + n.formula(i).render(course(n, i));
    }

    /** A formula's leaves in course notation: the node's gradient name, its operands' names, the call's parameters. */
    private static Formula.Leaves course(GraphNode n, int i) {
        return new Formula.Leaves() {
            @Override
            public String upstream(Formula.Upstream u) {
                return operandText(gradName(n));
            }

            @Override
            public String input(Formula.Input x) {
                return operandText(ref(n.inputs().get(x.index())));
            }

            @Override
            public String param(Formula.Param p) {
                return n.param(p, i);
            }
        };
    }

    /** A name as an operand: in parentheses unless it is a single term. */
    private static String operandText(String r) {
        return atomic(r) ? r : "(" + r + ")";
    }

    /** The course's reduction for the gradient of a broadcast: {@code np.sum(dZ, axis=1, keepdims=True)}. */
    static String expandSum(GraphNode expand, String upstream) {
        Shape from = expand.inputs().get(0).shape(), to = expand.shape();
        boolean rows = from.rows() != to.rows(), cols = from.cols() != to.cols();
        if (rows && cols) {
            return "np.sum(" + upstream + ")";
        }
        return "np.sum(" + upstream + ", axis=" + (cols ? 1 : 0) + ", keepdims=True)";
    }

    /** In words, which axes a broadcast repeats: {@code over columns}. */
    static String expandAxes(GraphNode expand) {
        Shape from = expand.inputs().get(0).shape(), to = expand.shape();
        boolean rows = from.rows() != to.rows(), cols = from.cols() != to.cols();
        return rows && cols ? "over all entries" : cols ? "over columns" : "over rows";
    }

    // ------------------------------------------------------------------ numbers

    /** A number for a matrix entry: 4 significant digits ({@link Format#number(double, int)}), with a true minus sign. */
    static String entry(double v) {
        return Format.number(v, 4).replace('-', '−');
    }

    /** A scalar as Format prints it, with a true minus sign. */
    static String scalar(double v) {
        return Format.number(v).replace('-', '−');
    }

    /** Whether a tensor is shown entry by entry (up to 4×4). */
    static boolean small(Shape s) {
        return s.rows() <= SMALL && s.cols() <= SMALL;
    }

    /** One-line text of a tensor: the number, the entries {@code [[1, 2], [3, 4]]}, or the shape and min/mean/max. */
    static String text(Tensor t) {
        if (t.shape().isScalar()) {
            return scalar(t.item());
        }
        if (small(t.shape())) {
            StringBuilder b = new StringBuilder("[");
            for (int r = 0; r < t.rows(); r++) {
                b.append(r > 0 ? ", [" : "[");
                for (int c = 0; c < t.cols(); c++) {
                    b.append(c > 0 ? ", " : "").append(entry(t.get(r, c)));
                }
                b.append(']');
            }
            return b.append(']').toString();
        }
        return t.shape() + " " + summary(t);
    }

    /** {@code min … mean … max …} of a tensor. */
    static String summary(Tensor t) {
        double[] d = t.toRowMajorArray();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : d) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return "min " + entry(min) + " mean " + entry(sum / d.length) + " max " + entry(max);
    }
}
