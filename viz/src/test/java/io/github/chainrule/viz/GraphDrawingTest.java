package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Formula;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Primitive;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The DOT text: what the course's computation graph and a deep network must show. Needs no engine. */
class GraphDrawingTest {
    private static final Pattern NODE = Pattern.compile("(?m)^\\s+([voL]\\d+) \\[");

    @Test
    void courseGraphShowsEveryValueAndGradient() {
        String dot = Render.graph(Graphs.courseJ()).dot();
        // forward values from the course: a = 5, b = 3, c = 2, u = bc = 6, v = a + u = 11, J = 3v = 33
        for (String v : new String[] {"a = 5", "b = 3", "c = 2", "u = 6", "v = 11", "J = 33"}) {
            assertTrue(dot.contains(">" + v + "<"), v + " in\n" + dot);
        }
        // backward from the course: dJ/dv = 3, dJ/du = 3, dJ/da = 3, dJ/db = 6, dJ/dc = 9
        for (String g : new String[] {"dv = 3", "du = 3", "da = 3", "db = 6", "dc = 9", "dJ = 1"}) {
            assertTrue(dot.contains(">" + g + "<"), g + " in\n" + dot);
        }
    }

    @Test
    void scalarEdgesCarryLocalDerivativesAndChainRuleProducts() {
        String dot = Render.graph(Graphs.courseJ()).dot();
        // ∂J/∂v = 3, ∂v/∂u = 1, ∂u/∂b = c = 2, so dJ/db = 3·1·2 = 6 (the course's example)
        String text = visible(dot);
        assertTrue(text.contains("\n∂J/∂v = 3\ndJ/dv = 3\n"), text);
        assertTrue(text.contains("\n∂v/∂u = 1\ndJ/du = 3 · 1 = 3\n"), text);
        assertTrue(text.contains("\n∂v/∂a = 1\ndJ/da = 3 · 1 = 3\n"), text);
        assertTrue(text.contains("\n∂u/∂b = c = 2\ndJ/db = 3 · 1 · 2 = 6\n"), text);
        assertTrue(text.contains("\n∂u/∂c = b = 3\ndJ/dc = 3 · 1 · 3 = 9\n"), text);
    }

    /**
     * The local derivative on an edge is ∂y/∂a alone, never multiplied by an upstream gradient
     * (no {@code dy}, no {@code g} in it). Expected values from calculus: (log a)' = 1/a,
     * (√a)' = 1/(2√a), (e^a)' = e^a, (a³)' = 3a², σ' = σ(1 − σ), tanh' = 1 − tanh².
     */
    @Test
    void edgesOfElementaryFunctionsShowTheirDerivativeAlone() {
        // a = 4: 1/a = 0.25, 1/(2·√4) = 0.25; a = 0: e^0 = 1, σ(0)(1 − σ(0)) = 0.25, 1 − tanh²(0) = 1; a = 2: 3·2² = 12
        java.util.function.Function<Tensor, Tensor> log = Tensor::log, sqrt = Tensor::sqrt, exp = Tensor::exp,
                cube = t -> t.pow(3), sigmoid = Tensor::sigmoid, tanh = Tensor::tanh;
        Object[][] cases = {
            {log, 4.0, "1 / a = 0.25", 0.25},
            {sqrt, 4.0, "1 / (2·√a) = 0.25", 0.25},
            {exp, 0.0, "exp(a) = 1", 1.0},
            {cube, 2.0, "3 · a^(2) = 12", 12.0},
            {sigmoid, 0.0, "σ(a)·(1 − σ(a)) = 0.25", 0.25},
            {tanh, 0.0, "1 − tanh²(a) = 1", 1.0},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            java.util.function.Function<Tensor, Tensor> f = (java.util.function.Function<Tensor, Tensor>) c[0];
            Tensor a = Tensor.scalar((Double) c[1]).named("a").requiringGrad();
            Tensor y = f.apply(a).named("y");
            y.backward();
            assertEquals((Double) c[3], a.grad().item(), 1e-12, "calculus and autodiff disagree: " + c[2]);
            String dot = Render.graph(y).dot();
            assertTrue(visible(dot).contains("\n∂y/∂a = " + c[2] + "\ndy/da = " + Notation.scalar((Double) c[3]) + "\n"),
                    c[2] + " in\n" + visible(dot));
            ChainRuleTrace.Step step = ChainRuleTrace.of(y).steps().get(0);
            assertEquals("∂y/∂a = " + c[2], step.local());
        }
        // inside a chain: J = 3·log(a), a = 5: ∂u/∂a = 1/5 = 0.2 whatever dJ/du is
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor J = a.log().named("u").mul(3).named("J");
        J.backward();
        String dot = Render.graph(J).dot();
        assertTrue(visible(dot).contains("\n∂u/∂a = 1 / a = 0.2\ndJ/da = 3 · 0.2 = 0.6\n"), dot);
        assertFalse(dot.contains("du / a"), dot);
    }

    /** The local derivative is the formula value with g := 1: factors of 1 dropped, a gradient only moved becomes 1. */
    @Test
    void unitUpstreamDropsTheGradientFromEveryRuleShape() {
        Object[][] cases = {
            {Primitive.ADD, 0, "1"}, {Primitive.NEG, 0, "−1"}, {Primitive.MUL, 0, "b"}, {Primitive.MUL, 1, "a"},
            {Primitive.MUL_CONSTANT, 0, "CONSTANT"}, {Primitive.SIGMOID_CROSS_ENTROPY, 1, "−z"},
            {Primitive.LOG, 0, "1 / x"}, {Primitive.SQRT, 0, "1 / (2·√x)"}, {Primitive.TANH, 0, "1 − tanh²(x)"},
            {Primitive.MATMUL, 0, "Bᵀ"}, {Primitive.MATMUL, 1, "Aᵀ"}, {Primitive.MATMUL_LEFT_TRANSPOSED, 0, "B"},
            {Primitive.TRANSPOSE, 0, "1"}, {Primitive.SUM, 0, "1"}, {Primitive.PAD, 0, "1"}, {Primitive.CONCAT, 3, "1"},
            {Primitive.RELU, 0, "[x > 0]"}, {Primitive.POW, 0, "CONSTANT · x^(CONSTANT_MINUS_ONE)"},
            {Primitive.SIGMOID, 0, "σ(x)·(1 − σ(x))"},
        };
        for (Object[] c : cases) {
            Primitive p = (Primitive) c[0];
            assertEquals(c[2], p.formula((Integer) c[1]).withUnitUpstream().plain(), p + " #" + c[1]);
        }
        // no local derivative of any primitive still holds the upstream gradient
        Formula.Leaves noUpstream = new Formula.Leaves() {
            @Override
            public String upstream(Formula.Upstream u) {
                throw new AssertionError("upstream gradient left in a local derivative");
            }

            @Override
            public String input(Formula.Input x) {
                return x.letter();
            }

            @Override
            public String param(Formula.Param p) {
                return "?";
            }
        };
        for (Primitive p : Primitive.values()) {
            for (int i = 0; i < p.derivativeCount(); i++) {
                int input = i;
                assertDoesNotThrow(() -> p.formula(input).withUnitUpstream().render(noUpstream), p + " #" + i);
            }
        }
    }

    /** a − b and a / b are drawn as one operation each, with their own symbols; expanded on request. */
    @Test
    void subAndDivKeepTheirSymbolsUnlessExpanded() {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad(), b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(4).named("c").requiringGrad();
        Tensor r = a.sub(b).named("q").div(c).named("r");
        r.backward();
        String text = visible(Render.graph(r).dot());
        assertTrue(text.contains("label=\"\n−\"") && text.contains("label=\"\n÷\""), text);
        assertFalse(text.contains("x^-1"), text);
        // local derivatives through the composites' primitives: ∂q/∂b = −1, ∂r/∂c = −q/c² = −2/16
        assertTrue(text.contains("\n∂q/∂b = −1\ndr/db = 0.25 · −1 = −0.25\n"), text);
        assertTrue(text.contains("\n∂r/∂c = −0.125\n"), text);
        String expanded = visible(Render.graph(r).expandComposites(true).dot());
        assertTrue(expanded.contains("label=\"\nx^-1\"") && expanded.contains("label=\"\n−x\""), expanded);
        assertFalse(expanded.contains("÷"), expanded);
    }

    @Test
    void valuesOnlyHidesGradientsButKeepsLocalDerivatives() {
        String dot = Render.graph(Graphs.courseJ()).show(GraphDrawing.Show.VALUES).dot();
        assertTrue(dot.contains(">J = 33<"));
        assertFalse(dot.contains("db = 6"), dot);
        assertFalse(dot.contains("dJ/db"), dot);
        assertTrue(dot.contains("∂u/∂b = c = 2"), dot);
    }

    @Test
    void beforeBackwardThereAreNoGradientsToShow() {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor J = a.mul(3).named("J");
        String dot = Render.graph(J).dot();
        assertTrue(dot.contains(">J = 15<"));
        assertFalse(dot.contains("da ="), dot);
    }

    @Test
    void dotTextIsDeterministicAndDirectionIsAnOption() {
        String first = Render.graph(Graphs.courseJ()).dot();
        String second = Render.graph(Graphs.courseJ()).dot();
        assertEquals(first, second);
        assertTrue(first.contains("rankdir=LR"));
        String tb = Render.graph(Graphs.courseJ()).direction(GraphDrawing.Direction.TOP_TO_BOTTOM).dot();
        assertTrue(tb.contains("rankdir=TB"));
        assertEquals(first.replace("rankdir=LR", "rankdir=TB"), tb);
    }

    @Test
    void layersAreClusteredInCourseNotation() {
        String dot = Render.graph(Graphs.deepNetwork(false, 5, 2, 4, 3, 3, 1)).dot();
        for (int l = 1; l <= 4; l++) {
            assertTrue(dot.contains("subgraph cluster_L" + l + " {"), "cluster " + l);
            String cluster = dot.substring(dot.indexOf("subgraph cluster_L" + l + " {"));
            assertTrue(visible(cluster.substring(0, cluster.indexOf('\n', cluster.indexOf("label=")))).contains("layer " + l + "\n"),
                    "label " + l);
            assertTrue(dot.contains("<B>W[" + l + "]</B>"), "W[" + l + "]");
            assertTrue(dot.contains("dW[" + l + "]"), "dW[" + l + "]");
            assertTrue(dot.contains("dZ[" + l + "]"), "dZ[" + l + "]");
        }
        assertEquals(4, count(dot, "subgraph cluster_"));
    }

    @Test
    void collapsedDeepNetworkHasOneBoxPerLayer() {
        // 4 layers; outside them: X (value box), mean = sum (op + value) then × 1/m (op + value)
        String dot = Render.graph(Graphs.deepNetwork(false, 5, 2, 4, 3, 3, 1)).collapseLayers(true).dot();
        Matcher m = NODE.matcher(dot);
        int layers = 0, others = 0;
        while (m.find()) {
            if (m.group(1).startsWith("L")) {
                layers++;
            } else {
                others++;
            }
        }
        assertEquals(4, layers, dot);
        assertEquals(1 + 2 + 2, others, dot);
        assertFalse(dot.contains("cluster"), dot);
        assertTrue(visible(line(dot, "L1 -> L2 [")).contains("\nA[1] (4, 5)\n"), dot);
        assertTrue(visible(line(dot, "L3 -> L4 [")).contains("\nA[3] (3, 5)\n"), dot);
        assertTrue(dot.contains("Z[2] = W[2]·A[1] + b[2]"), dot);
        assertTrue(dot.contains("A[4] = σ(Z[4])"), dot);
    }

    /**
     * nn names batch-norm and dropout outputs {@code BN(Z[l])} and {@code dropout(A[l])}, its
     * batch-norm parameters {@code gamma[l]}, {@code beta[l]} and the dropout mask {@code D[l]};
     * all of them, and the unnamed steps between them, belong to layer l. Built by hand with
     * the same names and the same operations as nn (viz does not depend on nn).
     */
    @Test
    void batchNormAndDropoutStayInsideTheirLayer() {
        NumpyRandom rng = new NumpyRandom(3);
        int m = 5;
        Tensor X = Tensor.randn(2, m, rng).named("X");
        Tensor A = X;
        int layers = 2;
        for (int l = 1; l <= layers; l++) {
            int n = l < layers ? 3 : 1;
            Tensor W = Tensor.randn(n, A.rows(), rng).mul(0.5).detach().named("W[" + l + "]").requiringGrad();
            Tensor b = Tensor.zeros(n, 1).named("b[" + l + "]").requiringGrad();
            Tensor Z = W.matmul(A).add(b).named("Z[" + l + "]");
            if (l < layers) {
                Tensor gamma = Tensor.ones(n, 1).named("gamma[" + l + "]").requiringGrad();
                Tensor beta = Tensor.zeros(n, 1).named("beta[" + l + "]").requiringGrad();
                Tensor centered = Z.sub(Z.mean(1, true));
                Tensor variance = centered.pow(2).mean(1, true);
                Tensor bn = gamma.mul(centered.div(variance.add(1e-5).sqrt())).add(beta).named("BN(Z[" + l + "])");
                Tensor act = bn.relu().named("A[" + l + "]");
                Tensor D = Tensor.ones(n, m).named("D[" + l + "]");
                A = act.mul(D).div(0.8).named("dropout(A[" + l + "])");
            } else {
                A = Z.sigmoid().named("A[" + l + "]");
            }
        }
        Tensor cost = A.mean().named("cost");
        cost.backward();
        assertEquals(1, Notation.layerOf("BN(Z[1])"));
        assertEquals(1, Notation.layerOf("dropout(A[1])"));
        assertEquals(12, Notation.layerOf("W[12]"));
        assertEquals(-1, Notation.layerOf("cost"));

        String dot = Render.graph(cost).collapseLayers(true).dot();
        Matcher nodes = NODE.matcher(dot);
        java.util.List<String> boxes = new java.util.ArrayList<>(), outside = new java.util.ArrayList<>();
        while (nodes.find()) {
            (nodes.group(1).startsWith("L") ? boxes : outside).add(nodes.group(1));
        }
        assertEquals(java.util.List.of("L1", "L2"), boxes, dot);
        // outside the layers: X (a value box) and cost = mean(A[2]), which is Σ then × 1/m (op + value each)
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        // the drawing's ids: composites (sub, div) collapsed, as drawn by default
        for (io.github.chainrule.autodiff.GraphNode g : io.github.chainrule.autodiff.ComputationGraph.collapsed(cost).nodes()) {
            if (g.name() != null) {
                ids.put(g.name(), g.id());
            }
        }
        for (String id : outside) {
            int k = Integer.parseInt(id.substring(1));
            assertTrue(k == ids.get("X") || k > ids.get("A[2]"), id + " of a layer is drawn outside its box:\n" + dot);
        }
        assertEquals(1 + 2 + 2, outside.size(), dot);
        for (String name : new String[] {"BN(Z[1])", "dropout(A[1])", "gamma[1]", "beta[1]", "D[1]"}) {
            String box1 = dot.substring(dot.indexOf("  L1 ["), dot.indexOf("\n", dot.indexOf("  L1 [")));
            assertTrue(box1.contains(DotWriter.html(name)), name + " not in layer 1's box:\n" + box1);
        }
        assertTrue(visible(line(dot, "L1 -> L2 [")).contains("\ndropout(A[1]) (3, 5)\n"), dot);

        String clustered = Render.graph(cost).dot();
        assertEquals(2, count(clustered, "subgraph cluster_"));
        String cluster1 = clustered.substring(clustered.indexOf("subgraph cluster_L1"), clustered.indexOf("subgraph cluster_L2"));
        for (String name : new String[] {"BN(Z[1])", "dropout(A[1])", "gamma[1]", "D[1]"}) {
            assertTrue(cluster1.contains("<B>" + DotWriter.html(name) + "</B>"), name + " not in cluster 1");
        }
    }

    @Test
    void broadcastingIsMarkedWithTheSumThatUndoesIt() {
        // Z = W·X + b with b (3, 1) broadcast over m = 4 columns; cost = ΣZ so dZ = 1 and db = Σ_columns dZ = 4
        NumpyRandom rng = new NumpyRandom(0);
        Tensor X = Tensor.randn(2, 4, rng).named("X");
        Tensor W = Tensor.randn(3, 2, rng).named("W[1]").requiringGrad();
        Tensor b = Tensor.zeros(3, 1).named("b[1]").requiringGrad();
        Tensor Z = W.matmul(X).add(b).named("Z[1]");
        Tensor cost = Z.sum().named("cost");
        cost.backward();
        String dot = Render.graph(cost).dot();
        assertTrue(dot.contains("shape=hexagon"), dot);
        String text = visible(dot);
        assertTrue(text.contains("\nbroadcast b[1]\n(3, 1) → (3, 4)\nbackward: db[1] = np.sum(dZ[1], axis=1, keepdims=True)\n"),
                text);
        // db[1] = [4, 4, 4] shown entry by entry (3×1 is small), right-aligned
        assertTrue(text.contains("\ndb[1] =\n4\n4\n4\n"), text);
        assertEquals(3, count(dot, "ALIGN=\"RIGHT\"><FONT COLOR=\"#b91c1c\">4</FONT></TD>"), dot);
    }

    @Test
    void largeTensorsShowShapeAndSummary() {
        Tensor x = Tensor.fromRowMajor(5, 5, new double[] {
            1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5}).named("x").requiringGrad();
        Tensor s = x.sum().named("s");
        s.backward();
        String dot = Render.graph(s).dot();
        assertTrue(dot.contains("min 1 mean 3 max 5"), dot);
        assertTrue(dot.contains("min 1 mean 1 max 1"), dot); // ds/dx = 1 everywhere
    }

    @Test
    void badArgumentsAreNamed() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Render.graph(null));
        assertEquals("Render.graph: output must not be null", npe.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Render.graph(Graphs.courseJ()).pngScale(0));
        assertEquals("GraphDrawing.pngScale: scale must be in (0, 8], got 0.0", e.getMessage());
        NullPointerException n2 = assertThrows(NullPointerException.class, () -> Render.graph(Graphs.courseJ()).show(null));
        assertEquals("GraphDrawing.show: show must not be null", n2.getMessage());
        assertNotEquals(Render.graph(Graphs.courseJ()).toString(), "");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void longOperationNamesWrapAtWordBoundaries() {
        String dot = Render.graph(Graphs.twoLayer()).dot();
        assertTrue(visible(dot).contains("\nsigmoidCross\nEntropyWithLogits\""), visible(dot));
        assertEquals(List.of("sigmoidCross", "EntropyWithLogits"), DotWriter.wrap("sigmoidCrossEntropyWithLogits", 10, 90));
        assertEquals(List.of("matmul"), DotWriter.wrap("matmul", 10, 90));
        assertEquals(List.of("softmaxCross", "EntropyWithLogits", "axis=0"),
                DotWriter.wrap("softmaxCrossEntropyWithLogits axis=0", 10, 90));
        for (String line : DotWriter.wrap("aVeryLongOperationNameThatNeedsSeveralLines", 10, 90)) {
            assertTrue(TextMetrics.width(line, 10, TextMetrics.Style.PLAIN) <= 90, line);
        }
    }

    /**
     * The text a reader sees in DOT output: each table cell's text on its own line (tags dropped,
     * entities decoded), plain labels with their line breaks.
     */
    static String visible(String dot) {
        String s = dot.replace("\\n", "\n").replace("label=<", "label=<\n").replace("label=\"", "label=\"\n").replace("</TD>", "\n").replace("<BR/>", "\n").replaceAll("<[^<>]*>", "");
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    /** The line of {@code dot} that starts (after its indentation) with {@code start}. */
    static String line(String dot, String start) {
        int i = dot.indexOf("\n  " + start);
        assertTrue(i >= 0, start + " not in\n" + dot);
        return dot.substring(i + 1, dot.indexOf('\n', i + 1));
    }
}
