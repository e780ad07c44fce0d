package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.ComputationGraph;
import io.github.chainrule.autodiff.GraphNode;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass explained step by step: from the output back to the inputs, each edge of
 * the graph with the node's forward equation, the local rule for that input, the gradient that
 * came from upstream, and the result. Numbers are shown for scalars, entries for matrices up to
 * 4×4, and shape with min/mean/max for larger ones.
 *
 * <p>For the course's {@code J = 3(a + bc)} the text reads
 * <pre>
 * dJ = 1
 * J = 3 · v     ∂J/∂v = 3    dv = dJ · 3 = 1 · 3 = 3
 * v = a + u     ∂v/∂a = 1    da = dv · 1 = 3 · 1 = 3
 * ...
 * </pre>
 *
 * <p>The trace computes its gradients itself through {@link GraphNode#backwardStep}, so it
 * does not need (and does not change) the tensors' stored gradients. Inputs that do not require
 * gradients (data, labels, constants) get no step.
 */
public final class ChainRuleTrace {
    /**
     * One backward step: the gradient that node {@code node} sends to its input {@code input}.
     *
     * @param number       1-based position in the backward order
     * @param node         the node's name (or expression)
     * @param equation     its forward equation, e.g. {@code u = b · c}
     * @param input        the input's name (or expression), e.g. {@code b}
     * @param rule         the backward rule in course notation, e.g. {@code db = du · c}, {@code dW[1] = dZ[1] · A[0]ᵀ}
     * @param local        for scalars, the local derivative with its symbolic form ({@code ∂u/∂b = c = 2}); else empty
     * @param upstream     the gradient arriving at the node, e.g. {@code du = 3}
     * @param result       the gradient sent to the input, e.g. {@code db = 3 · 2 = 6}
     * @param accumulates  whether the input receives gradients along several edges (this step adds to it)
     * @param contribution the gradient sent along this edge, with the input's shape
     */
    public record Step(int number, String node, String equation, String input, String rule, String local,
                       String upstream, String result, boolean accumulates, Tensor contribution) {
    }

    private final String output;
    private final String start;
    private final List<Step> steps;

    private ChainRuleTrace(String output, String start, List<Step> steps) {
        this.output = output;
        this.start = start;
        this.steps = Collections.unmodifiableList(steps);
    }

    /**
     * The trace of the backward pass from {@code output}.
     *
     * @throws IllegalArgumentException if {@code output} is not 1×1
     * @throws IllegalStateException if nothing {@code output} depends on requires gradients
     */
    public static ChainRuleTrace of(Tensor output) {
        Checks.notNull(output, "ChainRuleTrace", "output");
        Checks.argument(output.shape().isScalar(),
                "ChainRuleTrace: output must be 1×1, got %s; hint: reduce it with sum() or mean() first", output.shape());
        Checks.state(output.requiresGrad(), "ChainRuleTrace: %s does not depend on any tensor that requires gradients;"
                + " hint: mark the inputs with requiringGrad() before computing it",
                output.name() != null ? "\"" + output.name() + "\"" : "the output");
        ComputationGraph g = ComputationGraph.of(output);
        List<GraphNode> nodes = g.nodes();
        Map<Integer, Tensor> grads = new HashMap<>();
        GraphNode out = g.output();
        grads.put(out.id(), Tensor.ones(1, 1));
        List<Step> steps = new ArrayList<>();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            GraphNode n = nodes.get(k);
            Tensor gn = grads.get(n.id());
            if (gn == null || n.isLeaf()) {
                continue;
            }
            for (int i = 0; i < n.inputs().size(); i++) {
                GraphNode in = n.inputs().get(i);
                if (!in.requiresGrad()) {
                    continue;
                }
                Tensor contribution = n.backwardStep(i, gn);
                grads.merge(in.id(), contribution, Tensor::add);
                steps.add(step(steps.size() + 1, n, i, gn, contribution, Consumers.edges(g, in) > 1));
            }
        }
        String start = Notation.gradName(out) + " = 1";
        return new ChainRuleTrace(Notation.ref(out), start, steps);
    }

    private static Step step(int number, GraphNode n, int i, Tensor upstream, Tensor contribution, boolean accumulates) {
        GraphNode in = n.inputs().get(i);
        String gradIn = Notation.gradName(in), gradN = Notation.gradName(n);
        String rule = Notation.backwardRule(n, i);
        String local = "";
        String result;
        String op = accumulates ? " += " : " = ";
        if (n.shape().isScalar() && in.shape().isScalar()) {
            double d = n.localDerivative(i);
            String symbolic = Notation.localRule(n, i), value = Notation.scalar(d);
            local = "∂" + Notation.ref(n) + "/∂" + Notation.ref(in) + " = "
                    + (symbolic == null || symbolic.equals(value) ? value : symbolic + " = " + value);
            result = gradIn + op + gradN + " · ∂" + Notation.ref(n) + "/∂" + Notation.ref(in) + " = "
                    + Notation.scalar(upstream.item()) + " · " + value + " = " + Notation.scalar(contribution.item());
        } else {
            result = gradIn + op + Notation.text(contribution) + (Notation.small(contribution.shape())
                    ? "   " + contribution.shape() : "");
            if (Notation.isExpand(n)) {
                rule = gradIn + " = " + Notation.expandSum(n, gradN) + "   (sum " + Notation.expandAxes(n)
                        + " back to " + in.shape() + ")";
            }
        }
        String upstreamText = gradN + " = " + Notation.text(upstream);
        return new Step(number, Notation.ref(n), Notation.equation(n), Notation.ref(in), rule, local, upstreamText, result,
                accumulates, contribution);
    }

    /** The steps in backward order (from the output towards the inputs). */
    public List<Step> steps() {
        return steps;
    }

    /** The trace as plain text, one step per line, columns aligned. */
    public String toText() {
        StringBuilder b = new StringBuilder("Chain-rule trace of ").append(output).append(": start with ")
                .append(start).append('\n');
        int eq = 0, loc = 0;
        for (Step s : steps) {
            eq = Math.max(eq, s.equation().length());
            loc = Math.max(loc, (s.local().isEmpty() ? s.rule() : s.local()).length());
        }
        for (Step s : steps) {
            String middle = s.local().isEmpty() ? s.rule() : s.local();
            b.append(String.format("%3d. %-" + eq + "s   %-" + loc + "s   %s%n", s.number(), s.equation(), middle,
                    s.local().isEmpty() ? "with " + s.upstream() + ":  " + s.result() : s.result()));
        }
        return b.toString();
    }

    /** The trace as a Markdown table (rule, upstream gradient and result per step). */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder("**Chain-rule trace of `").append(md(output)).append("`**, starting from `")
                .append(md(start)).append("`\n\n");
        b.append("| # | node | backward rule | local derivative | upstream | result |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            b.append("| ").append(s.number()).append(" | `").append(md(s.equation())).append("` | `").append(md(s.rule()))
                    .append("` | ").append(s.local().isEmpty() ? "" : "`" + md(s.local()) + "`").append(" | `")
                    .append(md(s.upstream())).append("` | `").append(md(s.result())).append("` |\n");
        }
        return b.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("`", "'");
    }

    @Override
    public String toString() {
        return toText();
    }
}
