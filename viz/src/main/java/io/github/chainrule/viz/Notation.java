package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Format;
import io.github.chainrule.autodiff.GraphNode;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Course notation shared by drawings and traces: names and gradient names ({@code W[1]},
 * {@code dW[1]}), forward expressions ({@code u = b · c}), backward rules with the operands'
 * names substituted ({@code ∂u/∂b = c}), layer indices and number formatting.
 */
final class Notation {
    /**
     * A name ending in a layer index, {@code W[1]}, {@code A[12]}, possibly inside parentheses as
     * nn names batch norm and dropout outputs: {@code BN(Z[1])}, {@code dropout(A[2])}.
     */
    private static final Pattern LAYER = Pattern.compile(".*\\[(\\d+)]\\)*");
    /** The upstream gradient in autodiff's rule formulas ({@code g}, or {@code G} for matrix products). */
    private static final Pattern UPSTREAM = Pattern.compile("(?<![A-Za-z0-9_])[gG](?![A-Za-z0-9_(])");
    /** The generic operand letters used by autodiff's rule formulas. */
    private static final Pattern OPERAND = Pattern.compile("(?<![A-Za-z0-9_])([abxyzABG]|g)(?![A-Za-z0-9_(])");
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
        return "expand".equals(n.op());
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
        String op = n.op(), d = n.detail();
        String x = in.isEmpty() ? "" : operand(in.get(0), depth), y = in.size() > 1 ? operand(in.get(1), depth) : "";
        String xa = strip(x);
        String e;
        switch (op) {
            case "add" -> e = d != null ? x + " + " + d : x + " + " + y;
            case "mul" -> e = d != null ? d + " · " + x : x + " · " + y;
            case "neg" -> e = "−" + x;
            case "pow" -> e = x + "^" + d;
            case "matmul" -> e = d == null ? x + "·" + y : d.replace("A", "\u0000").replace("B", y).replace("\u0000", x);
            case "sigmoid" -> e = "σ(" + xa + ")";
            case "sum" -> e = d == null ? "Σ " + x : "sum(" + xa + ", " + d.replace(" ", "=") + ")";
            case "max" -> e = "max(" + xa + ", " + d.replace(" ", "=") + ")";
            case "transpose" -> e = x + "ᵀ";
            case "expand" -> e = "broadcast " + x + " " + d;
            case "leakyRelu", "elu" -> e = op + "(" + xa + ", " + d + ")";
            default -> {
                StringBuilder b = new StringBuilder(op).append('(');
                for (int i = 0; i < in.size(); i++) {
                    b.append(i > 0 ? ", " : "").append(strip(operand(in.get(i), depth)));
                }
                if (d != null) {
                    b.append(in.isEmpty() ? "" : ", ").append(d);
                }
                e = b.append(')').toString();
            }
        }
        return e.length() > MAX_EXPRESSION && depth > 0 ? op + "(…)" : e;
    }

    /**
     * The local derivative ∂n/∂input {@code i} as a formula with names substituted: the backward
     * rule with the upstream gradient set to 1. {@code c} for {@code u = b · c} and input
     * {@code b}, {@code 1} for an addition, {@code 3} for {@code J = 3 · v}, {@code 1 / a} for
     * {@code u = log(a)}.
     */
    static String localRule(GraphNode n, int i) {
        return substitute(n, unitUpstream(ruleRhs(n, i)));
    }

    /**
     * A rule's right-hand side with the upstream gradient {@code g} (or {@code G}) := 1, and the
     * factors of 1 that leaves dropped: {@code g / x} → {@code 1 / x}, {@code g · b} → {@code b},
     * {@code −g · z} → {@code −z}, {@code g · (1 − tanh²(x))} → {@code 1 − tanh²(x)},
     * {@code B · Gᵀ} → {@code B}, {@code g} → {@code 1}. Rules that only move {@code g} around
     * ({@code gᵀ}, {@code g expanded to (1, 1)}, {@code g[0:1, 0:1]}) become {@code 1}.
     */
    static String unitUpstream(String rhs) {
        String s = UPSTREAM.matcher(rhs.trim()).replaceAll("1");
        s = s.replace("1ᵀ", "1");
        if (s.matches("(−?)1(\\[[^\\]]*]|'s .*| [a-z].*)")) {
            return s.startsWith("−") ? "−1" : "1";
        }
        boolean negative = s.startsWith("−1 · ") || s.startsWith("−1 ·");
        if (negative) {
            s = s.substring(1);
        }
        for (String before = null; !s.equals(before); ) {
            before = s;
            s = s.replaceFirst("^1 ?· ?", "").replaceFirst(" ?· ?1$", "").replace(" · 1 · ", " · ");
        }
        if (s.isEmpty()) {
            s = "1";
        }
        if (negative) {
            return "−" + (atomic(s) ? s : "(" + strip(s) + ")");
        }
        return strip(s);
    }

    /** The whole backward rule of input {@code i} as course notation: {@code dW = dZ · A[0]ᵀ}. */
    static String backwardRule(GraphNode n, int i) {
        GraphNode input = n.inputs().get(i);
        if (isExpand(n)) {
            return gradName(input) + " = " + expandSum(n, gradName(n));
        }
        return gradName(input) + " = " + substitute(n, ruleRhs(n, i));
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

    private static String ruleRhs(GraphNode n, int i) {
        String f = n.rules().get(i);
        int eq = f.indexOf('=');
        return eq < 0 ? f : f.substring(eq + 1).trim();
    }

    /** Replaces the rule's generic operand letters by the node's operand names. */
    private static String substitute(GraphNode n, String formula) {
        Map<String, String> names = new HashMap<>();
        List<GraphNode> in = n.inputs();
        if (!in.isEmpty()) {
            String first = ref(in.get(0));
            names.put("a", first);
            names.put("x", first);
            names.put("z", first);
            names.put("A", first);
        }
        if (in.size() > 1) {
            String second = ref(in.get(1));
            names.put("b", second);
            names.put("y", second);
            names.put("B", second);
        }
        names.put("g", gradName(n));
        names.put("G", gradName(n));
        Matcher m = OPERAND.matcher(formula);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String r = names.getOrDefault(m.group(1), m.group(1));
            r = atomic(r) ? r : "(" + r + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
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
