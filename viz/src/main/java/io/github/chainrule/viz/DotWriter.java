package io.github.chainrule.viz;

import io.github.chainrule.autodiff.ComputationGraph;
import io.github.chainrule.autodiff.GraphNode;
import io.github.chainrule.autodiff.Primitive;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the DOT text of a computation graph. Deterministic: node ids come from the graph's
 * stable ids ({@code v3} is the value of node 3, {@code o3} the operation that computed it,
 * {@code L1} the collapsed box of layer 1) and everything is emitted in id order.
 *
 * <p>Value nodes are boxes with the name, shape, value and gradient; operation nodes are small
 * ellipses; a broadcast ({@code expand}) is an orange hexagon with its shapes and the sum that
 * reduces its gradient back. Scalar edges carry the local derivative and the chain-rule product.
 */
final class DotWriter {
    private static final String PARAM = "#dbeafe", CONST = "#f3f4f6", OUTPUT = "#dcfce7", VALUE = "#ffffff";
    private static final String BROADCAST = "#fed7aa", LAYER = "#ede9fe";

    private final List<GraphNode> nodes;
    private final ComputationGraph graph;
    private final GraphNode output;
    private final boolean gradients, leftToRight, collapse;
    private final int[] layer;
    private final StringBuilder out = new StringBuilder();

    private DotWriter(ComputationGraph graph, boolean gradients, boolean leftToRight, boolean collapse) {
        this.nodes = graph.nodes();
        this.output = graph.output();
        this.gradients = gradients;
        this.leftToRight = leftToRight;
        this.collapse = collapse;
        this.graph = graph;
        this.layer = layers();
    }

    static String write(ComputationGraph graph, boolean gradients, boolean leftToRight, boolean collapse) {
        return new DotWriter(graph, gradients, leftToRight, collapse).write();
    }

    /** Layer of every node: from its name, else (unnamed) the common layer of its consumers. */
    private int[] layers() {
        int[] l = new int[nodes.size()];
        for (int k = nodes.size() - 1; k >= 0; k--) {
            GraphNode n = nodes.get(k);
            l[k] = Notation.layerOf(n.name());
            List<GraphNode> users = graph.consumers(n);
            if (l[k] < 0 && n.name() == null && !users.isEmpty()) {
                int common = l[users.get(0).id()];
                for (GraphNode c : users) {
                    if (l[c.id()] != common) {
                        common = -1;
                    }
                }
                l[k] = common;
            }
        }
        return l;
    }

    private String write() {
        out.append("digraph chainrule {\n");
        String font = "fontname=\"" + TextMetrics.FAMILY + "\"";
        out.append("  graph [rankdir=").append(leftToRight ? "LR" : "TB").append(", ").append(font)
                .append(", fontsize=11, nodesep=0.35, ranksep=0.45];\n");
        out.append("  node [").append(font).append(", fontsize=11];\n");
        out.append("  edge [").append(font).append(", fontsize=10, color=\"#4b5563\", fontcolor=\"#1f2937\"];\n");
        Map<Integer, List<GraphNode>> byLayer = new TreeMap<>();
        List<GraphNode> free = new ArrayList<>();
        for (GraphNode n : nodes) {
            if (layer[n.id()] >= 0) {
                byLayer.computeIfAbsent(layer[n.id()], k -> new ArrayList<>()).add(n);
            } else {
                free.add(n);
            }
        }
        for (GraphNode n : free) {
            nodeStatements(n, "  ");
        }
        for (Map.Entry<Integer, List<GraphNode>> e : byLayer.entrySet()) {
            if (collapse) {
                layerBox(e.getKey(), e.getValue());
            } else {
                out.append("  subgraph cluster_L").append(e.getKey()).append(" {\n");
                out.append("    label=<").append(lines(1, List.of(List.of(plain("layer " + e.getKey(), 11))), null))
                        .append(">; labeljust=l; style=\"rounded,dashed\"; color=\"#7c3aed\"; fontcolor=\"#5b21b6\";\n");
                for (GraphNode n : e.getValue()) {
                    nodeStatements(n, "    ");
                }
                out.append("  }\n");
            }
        }
        edges();
        out.append("}\n");
        return out.toString();
    }

    // ------------------------------------------------------------------ nodes

    private void nodeStatements(GraphNode n, String indent) {
        if (Notation.isExpand(n)) {
            out.append(indent).append('o').append(n.id()).append(" [shape=hexagon, style=filled, fillcolor=\"")
                    .append(BROADCAST).append("\", margin=\"0.05,0.02\", label=<").append(broadcastLabel(n)).append(">];\n");
            return;
        }
        if (!n.isLeaf()) {
            List<String> lines = wrap(opSymbol(n), OP_SIZE, MAX_OP_WIDTH);
            double w = 0;
            for (String line : lines) {
                w = Math.max(w, TextMetrics.width(line, OP_SIZE, TextMetrics.Style.PLAIN));
            }
            // an ellipse holds a w × h box when its axes are √2 times the box's sides
            double h = lines.size() * OP_SIZE * TextMetrics.LINE_SPACING;
            double width = Math.max(0.3, (w + 6) * Math.sqrt(2) / 72), height = Math.max(0.3, (h + 2) * Math.sqrt(2) / 72);
            out.append(indent).append('o').append(n.id()).append(" [shape=ellipse, style=filled, fillcolor=\"#fef9c3\",")
                    .append(" fontsize=").append((int) OP_SIZE).append(", margin=0, width=").append(inches(width))
                    .append(", height=").append(inches(height)).append(", label=\"")
                    .append(quoted(String.join("\\n", lines))).append("\"];\n");
        }
        out.append(indent).append('v').append(n.id()).append(" [shape=plain, label=<").append(valueLabel(n)).append(">];\n");
    }

    private String valueLabel(GraphNode n) {
        String fill = n == output ? OUTPUT : n.isLeaf() ? (n.requiresGrad() ? PARAM : CONST) : VALUE;
        StringBuilder b = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">");
        // name and shape in cells of their own: each text then starts at its cell's edge, not
        // after the previous text as the engine measured it
        Run title = n.name() != null ? new Run(n.name(), 11, TextMetrics.Style.BOLD, null)
                : new Run((n.isLeaf() ? "const" : n.op()) + " #" + n.id(), 11, TextMetrics.Style.ITALIC, null);
        b.append("<TR><TD><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>")
                .append(cell(0, null, 1, 4, List.of(title)))
                .append(cell(0, null, List.of(new Run(n.shape().toString(), 9, TextMetrics.Style.PLAIN, "#6b7280"))))
                .append("</TR></TABLE></TD></TR>");
        b.append("<TR><TD>").append(tensorCell(n.name() != null ? n.name() : "value", n.value(), null)).append("</TD></TR>");
        if (gradients && n.hasGrad()) {
            b.append("<TR><TD>").append(tensorCell(gradName(n), n.grad(), "#b91c1c")).append("</TD></TR>");
        }
        return roundedBox(fill, b.append("</TABLE>").toString());
    }

    /**
     * {@code content} in a box with rounded corners, {@value #BOX_MARGIN} points inside its
     * border: Graphviz rounds a table's corners with a 12-point radius, and text nearer the
     * border than about 4 points would cross the curve.
     */
    private static String roundedBox(String fill, String content) {
        return "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"" + BOX_MARGIN
                + "\" STYLE=\"ROUNDED\" BGCOLOR=\"" + fill + "\"><TR><TD>" + content + "</TD></TR></TABLE>";
    }

    /**
     * A nested table: {@code b = 3}; or a small matrix entry by entry, right-aligned in columns
     * at least {@value #COLUMN_GAP} points apart; or the shape's min/mean/max.
     */
    private static String tensorCell(String label, Tensor t, String color) {
        StringBuilder b = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"1\">");
        if (t.shape().isScalar()) {
            b.append("<TR>").append(cell(0, null, List.of(new Run(label + " = " + Notation.scalar(t.item()), 11, null, color))))
                    .append("</TR>");
        } else if (Notation.small(t.shape())) {
            b.append("<TR>").append(cell(0, null, t.cols(), 0, List.of(new Run(label + " =", 11, null, color))))
                    .append("</TR>");
            for (int r = 0; r < t.rows(); r++) {
                b.append("<TR>");
                for (int c = 0; c < t.cols(); c++) {
                    // ASCII minus, as numpy prints: every engine measures ASCII exactly, so the right edges line up
                    String entry = Notation.entry(t.get(r, c)).replace('−', '-');
                    b.append(cell(0, "RIGHT", 1, COLUMN_GAP, List.of(new Run(entry, 11, null, color))));
                }
                b.append("</TR>");
            }
        } else {
            b.append("<TR>").append(cell(0, null, List.of(new Run(label, 11, null, color)))).append("</TR>");
            b.append("<TR>").append(cell(0, null, List.of(new Run(Notation.summary(t), 9, null, color)))).append("</TR>");
        }
        return b.append("</TABLE>").toString();
    }

    // ------------------------------------------------------------------ measured text

    private static final double OP_SIZE = 10, EDGE_SIZE = 10, MAX_OP_WIDTH = 90;
    private static final int COLUMN_GAP = 10, BOX_MARGIN = 4;

    /** A run of text in an HTML-like label: size in points, style (null: plain), colour (null: inherited). */
    private record Run(String text, double size, TextMetrics.Style style, String color) {
        double width() {
            return TextMetrics.width(text, size, style == null ? TextMetrics.Style.PLAIN : style);
        }

        String markup() {
            String h = html(text);
            if (style == TextMetrics.Style.BOLD) {
                h = "<B>" + h + "</B>";
            } else if (style == TextMetrics.Style.ITALIC) {
                h = "<I>" + h + "</I>";
            }
            if (size != 11 || color != null) {
                h = "<FONT" + (size != 11 ? " POINT-SIZE=\"" + (int) size + "\"" : "")
                        + (color != null ? " COLOR=\"" + color + "\"" : "") + ">" + h + "</FONT>";
            }
            return h;
        }
    }

    private static Run plain(String text, double size) {
        return new Run(text, size, null, null);
    }

    /**
     * A table cell holding {@code runs} on one line, at least as wide and tall as their text
     * measured with the drawing's font ({@link TextMetrics}) plus the table's cell padding: the
     * layout then leaves room for the text whatever the engine's own estimate. Cells align left
     * (or right) rather than centre: Graphviz places an HTML-like label's text from its own width
     * estimate, which for non-ASCII characters is not the font's (a space per UTF-8 byte in the
     * bundled engine), and only a left or right edge does not depend on that estimate.
     */
    private static String cell(int padding, String align, List<Run> runs) {
        return cell(padding, align, 1, 0, runs);
    }

    /** A cell spanning {@code columns}, with {@code extra} points of width beyond its text (space between columns). */
    private static String cell(int padding, String align, int columns, double extra, List<Run> runs) {
        double w = extra, size = 0;
        StringBuilder html = new StringBuilder();
        for (Run r : runs) {
            w += r.width();
            size = Math.max(size, r.size());
            html.append(r.markup());
        }
        return "<TD" + (columns > 1 ? " COLSPAN=\"" + columns + "\"" : "") + " WIDTH=\"" + (int) Math.ceil(w + 2 * padding + 1)
                + "\" HEIGHT=\""
                + (int) Math.ceil(size * TextMetrics.LINE_SPACING + 2 * padding) + "\""
                + " ALIGN=\"" + (align != null ? align : "LEFT") + "\">" + html + "</TD>";
    }

    /** A borderless table of lines, one measured cell each. */
    private static String lines(int padding, List<List<Run>> lines, String align) {
        StringBuilder b = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"")
                .append(padding).append("\">");
        for (List<Run> line : lines) {
            b.append("<TR>").append(cell(padding, align, line)).append("</TR>");
        }
        return b.append("</TABLE>").toString();
    }

    /** {@code text} in lines no wider than {@code max} points, broken between words and camel-case parts. */
    static List<String> wrap(String text, double size, double max) {
        List<String> out = new ArrayList<>();
        if (TextMetrics.width(text, size, TextMetrics.Style.PLAIN) <= max) {
            out.add(text);
            return out;
        }
        List<String> parts = new ArrayList<>();
        for (String word : text.split(" ")) {
            String[] camel = word.split("(?<=[a-z])(?=[A-Z])");
            for (int i = 0; i < camel.length; i++) {
                parts.add((i == 0 && !parts.isEmpty() ? " " : "") + camel[i]);
            }
        }
        StringBuilder line = new StringBuilder();
        for (String part : parts) {
            String next = line + part;
            if (line.length() > 0 && TextMetrics.width(next, size, TextMetrics.Style.PLAIN) > max) {
                out.add(line.toString().strip());
                line = new StringBuilder(part.strip());
            } else {
                line.append(part);
            }
        }
        out.add(line.toString().strip());
        return out;
    }

    private static String inches(double x) {
        return String.format(java.util.Locale.ROOT, "%.3f", x);
    }

    private String gradName(GraphNode n) {
        return n.name() != null ? "d" + n.name() : "grad";
    }

    private String broadcastLabel(GraphNode n) {
        GraphNode in = n.inputs().get(0);
        List<List<Run>> lines = new ArrayList<>();
        lines.add(List.of(plain("broadcast " + Notation.ref(in), 10)));
        lines.add(List.of(plain(in.shape() + " → " + n.shape(), 10)));
        if (gradients) {
            lines.add(List.of(plain("backward: " + Notation.gradName(in) + " = " + Notation.expandSum(n, upstreamOfExpand(n)), 9)));
        }
        return lines(1, lines, null);
    }

    /** The gradient that reaches a broadcast: {@code dZ[1]} when an addition named Z[1] passes it through. */
    private String upstreamOfExpand(GraphNode n) {
        List<GraphNode> c = graph.consumers(n);
        if (c.size() == 1 && c.get(0).primitive() == Primitive.ADD && c.get(0).name() != null) {
            return "d" + c.get(0).name();
        }
        return Notation.gradName(n);
    }

    /** The operation's symbol ({@link Primitive#symbol()}) and its parameter: {@code × 3}, {@code x^2}, {@code Σ axis 0}. */
    private static String opSymbol(GraphNode n) {
        if (n.composite() != null) {
            return n.composite().symbol();
        }
        Primitive p = n.primitive();
        String d = n.detail();
        return d == null ? p.symbol() : p.symbol() + (p.symbol().endsWith("^") ? "" : " ") + d;
    }

    private void layerBox(int l, List<GraphNode> members) {
        StringBuilder b = new StringBuilder("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">");
        b.append("<TR>").append(cell(2, null, List.of(new Run("layer " + l, 11, TextMetrics.Style.BOLD, null)))).append("</TR>");
        for (GraphNode n : members) {
            if (n.name() == null && !Notation.isExpand(n)) {
                continue;
            }
            String line;
            if (Notation.isExpand(n)) {
                GraphNode in = n.inputs().get(0);
                line = "broadcast " + Notation.ref(in) + " " + in.shape() + " → " + n.shape();
            } else if (n.isLeaf()) {
                line = n.name() + " " + n.shape();
                if (gradients && n.hasGrad()) {
                    line += "   ‖d" + n.name() + "‖ = " + Notation.entry(norm(n.grad()));
                }
            } else {
                line = Notation.equation(n) + "   " + n.shape();
            }
            b.append("<TR>").append(cell(2, "LEFT", List.of(plain(line, 11)))).append("</TR>");
        }
        b.append("</TABLE>");
        out.append("  L").append(l).append(" [shape=plain, label=<").append(roundedBox(LAYER, b.toString())).append(">];\n");
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toRowMajorArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    // ------------------------------------------------------------------ edges

    /** Where an edge leaving node n starts: its value box, the broadcast hexagon, or its layer box. */
    private String source(GraphNode n) {
        if (collapse && layer[n.id()] >= 0) {
            return "L" + layer[n.id()];
        }
        return (Notation.isExpand(n) ? "o" : "v") + n.id();
    }

    /** Where an edge into node n's operation ends. */
    private String target(GraphNode n) {
        if (collapse && layer[n.id()] >= 0) {
            return "L" + layer[n.id()];
        }
        return "o" + n.id();
    }

    private void edges() {
        Set<String> seen = new LinkedHashSet<>();
        Map<String, String> lines = new LinkedHashMap<>();
        for (GraphNode n : nodes) {
            if (n.isLeaf()) {
                continue;
            }
            String to = target(n);
            if (!Notation.isExpand(n) && !(collapse && layer[n.id()] >= 0)) {
                lines.put("o" + n.id() + " -> v" + n.id(), "");
            }
            List<GraphNode> in = n.inputs();
            for (int i = 0; i < in.size(); i++) {
                String from = source(in.get(i));
                if (from.equals(to)) {
                    continue;
                }
                String key = from + " -> " + to;
                if (!seen.add(key)) {
                    continue;
                }
                String label;
                if (collapse && from.startsWith("L")) {
                    GraphNode carrier = in.get(i);
                    label = Notation.ref(carrier) + " " + carrier.shape();
                } else {
                    label = edgeLabel(n, i);
                }
                lines.put(key, label);
            }
        }
        for (Map.Entry<String, String> e : lines.entrySet()) {
            out.append("  ").append(e.getKey());
            if (!e.getValue().isEmpty()) {
                List<List<Run>> label = new ArrayList<>();
                for (String line : e.getValue().split("\n")) {
                    label.add(List.of(plain(line, EDGE_SIZE)));
                }
                out.append(" [label=<").append(lines(1, label, null)).append(">]");
            }
            out.append(";\n");
        }
    }

    /**
     * For a scalar edge: the local derivative ({@code ∂u/∂b = c = 2}) and, with gradients, the
     * chain-rule product ({@code dJ/db = 3 · 1 · 2 = 6} along a single path, or the contribution
     * {@code dJ/du · ∂u/∂b = 3 · 2 = 6} where paths join).
     */
    private String edgeLabel(GraphNode n, int i) {
        GraphNode in = n.inputs().get(i);
        if (!n.shape().isScalar() || !in.shape().isScalar() || Notation.isExpand(n)) {
            return "";
        }
        String top = Notation.ref(n), bottom = Notation.ref(in);
        double local = n.localDerivative(i);
        String symbolic = Notation.localRule(n, i);
        String localText = Notation.scalar(local);
        StringBuilder label = new StringBuilder("∂" + top + "/∂" + bottom + " = ");
        label.append(symbolic == null || symbolic.equals(localText) ? localText : symbolic + " = " + localText);
        if (!gradients || !in.requiresGrad() || !output.hasGrad()) {
            return label.toString();
        }
        List<Double> path = pathToOutput(n);
        String out = Notation.ref(output);
        if (path != null) {
            List<Double> factors = new ArrayList<>(path);
            factors.add(local);
            double product = 1;
            StringBuilder f = new StringBuilder();
            for (double x : factors) {
                product *= x;
                f.append(f.length() > 0 ? " · " : "").append(Notation.scalar(x));
            }
            label.append("\nd").append(out).append("/d").append(bottom).append(" = ").append(f);
            if (factors.size() > 1) {
                label.append(" = ").append(Notation.scalar(product));
            }
            if (Consumers.edges(graph, in) > 1) {
                label.append(" (one path)");
            }
        } else if (n.hasGrad()) {
            double g = n.grad().item();
            label.append("\nd").append(out).append("/d").append(top).append(" · ∂").append(top).append("/∂")
                    .append(bottom).append(" = ").append(Notation.scalar(g)).append(" · ").append(localText)
                    .append(" = ").append(Notation.scalar(g * local));
        }
        return label.toString();
    }

    /** Local derivatives from n up to the output when that path is unique (each node used once), else null. */
    private List<Double> pathToOutput(GraphNode n) {
        List<Double> factors = new ArrayList<>();
        GraphNode k = n;
        while (k != output) {
            if (Consumers.edges(graph, k) != 1 || !graph.consumers(k).get(0).shape().isScalar()) {
                return null;
            }
            GraphNode up = graph.consumers(k).get(0);
            factors.add(0, up.localDerivative(up.inputs().indexOf(k)));
            k = up;
        }
        return factors;
    }

    // ------------------------------------------------------------------ escaping

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n");
    }
}
