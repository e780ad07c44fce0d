package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
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
        // ∂J/∂v = 3, ∂v/∂u = 1, ∂u/∂b = c = 2, so dJ/db = 3·1·2 = 6 (the issue's example)
        assertTrue(dot.contains("label=\"∂J/∂v = 3\\ndJ/dv = 3\""), dot);
        assertTrue(dot.contains("label=\"∂v/∂u = 1\\ndJ/du = 3 · 1 = 3\""), dot);
        assertTrue(dot.contains("label=\"∂v/∂a = 1\\ndJ/da = 3 · 1 = 3\""), dot);
        assertTrue(dot.contains("label=\"∂u/∂b = c = 2\\ndJ/db = 3 · 1 · 2 = 6\""), dot);
        assertTrue(dot.contains("label=\"∂u/∂c = b = 3\\ndJ/dc = 3 · 1 · 3 = 9\""), dot);
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
            assertTrue(dot.contains("label=\"layer " + l + "\""), "label " + l);
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
        assertTrue(dot.contains("L1 -> L2 [label=\"A[1] (4, 5)\"]"), dot);
        assertTrue(dot.contains("L3 -> L4 [label=\"A[3] (3, 5)\"]"), dot);
        assertTrue(dot.contains("Z[2] = W[2]·A[1] + b[2]"), dot);
        assertTrue(dot.contains("A[4] = σ(Z[4])"), dot);
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
        assertTrue(dot.contains("broadcast b[1]<BR/>(3, 1) → (3, 4)"), dot);
        assertTrue(dot.contains("backward: db[1] = np.sum(dZ[1], axis=1, keepdims=True)"), dot);
        // db[1] = [4, 4, 4] shown entry by entry (3×1 is small)
        assertTrue(dot.contains("db[1] =</TD></TR><TR><TD ALIGN=\"RIGHT\">4</TD></TR><TR><TD ALIGN=\"RIGHT\">4</TD>"), dot);
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
}
