package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainRuleTraceTest {
    @Test
    void reproducesTheCourseWalkThrough() {
        ChainRuleTrace t = ChainRuleTrace.of(Graphs.courseJ());
        List<ChainRuleTrace.Step> s = t.steps();
        assertEquals(5, s.size());
        // dJ/dv = 3; dJ/da = dJ/dv · dv/da = 3 · 1; dJ/du = 3 · 1; dJ/db = dJ/du · du/db = 3 · 2; dJ/dc = 3 · 3
        String[][] expected = {
            {"J = 3 · v", "v", "∂J/∂v = 3", "dJ = 1", "dv = dJ · ∂J/∂v = 1 · 3 = 3"},
            {"v = a + u", "a", "∂v/∂a = 1", "dv = 3", "da = dv · ∂v/∂a = 3 · 1 = 3"},
            {"v = a + u", "u", "∂v/∂u = 1", "dv = 3", "du = dv · ∂v/∂u = 3 · 1 = 3"},
            {"u = b · c", "b", "∂u/∂b = c = 2", "du = 3", "db = du · ∂u/∂b = 3 · 2 = 6"},
            {"u = b · c", "c", "∂u/∂c = b = 3", "du = 3", "dc = du · ∂u/∂c = 3 · 3 = 9"},
        };
        double[] values = {3, 3, 3, 6, 9};
        for (int i = 0; i < 5; i++) {
            ChainRuleTrace.Step st = s.get(i);
            assertArrayEquals(expected[i], new String[] {st.equation(), st.input(), st.local(), st.upstream(), st.result()});
            assertEquals(values[i], st.contribution().item(), 0.0);
            assertEquals(i + 1, st.number());
        }
        assertTrue(t.toText().startsWith("Chain-rule trace of J: start with dJ = 1\n"), t.toText());
        assertTrue(t.toText().contains("u = b · c   ∂u/∂b = c = 2   db = du · ∂u/∂b = 3 · 2 = 6"), t.toText());
        assertTrue(t.toMarkdown().contains("| 4 | `u = b · c` | `db = du · c` | `∂u/∂b = c = 2` | `du = 3` |"
                + " `db = du · ∂u/∂b = 3 · 2 = 6` |"), t.toMarkdown());
    }

    @Test
    void reusedNodesAccumulate() {
        // b = x + x, c = b + b: dc/dx = 4, sent as four contributions of 1
        Tensor x = Tensor.scalar(2).named("x").requiringGrad();
        Tensor b = x.add(x).named("b");
        Tensor c = b.add(b).named("c");
        ChainRuleTrace t = ChainRuleTrace.of(c);
        double dx = 0;
        for (ChainRuleTrace.Step st : t.steps()) {
            if (st.input().equals("x")) {
                assertTrue(st.accumulates());
                assertTrue(st.result().startsWith("dx += "), st.result());
                dx += st.contribution().item();
            }
        }
        assertEquals(4, dx, 0.0);
    }

    @Test
    void matrixStepsUseCourseRulesAndTheBroadcastSum() {
        // Z = W·X + b, cost = ΣZ: dZ = ones (3, 4), dW = dZ·Xᵀ, db = Σ over columns of dZ = 4 per row
        NumpyRandom rng = new NumpyRandom(0);
        Tensor X = Tensor.randn(2, 4, rng).named("X");
        Tensor W = Tensor.randn(3, 2, rng).named("W[1]").requiringGrad();
        Tensor b = Tensor.zeros(3, 1).named("b[1]").requiringGrad();
        Tensor cost = W.matmul(X).add(b).named("Z[1]").sum().named("cost");
        ChainRuleTrace t = ChainRuleTrace.of(cost);
        ChainRuleTrace.Step db = t.steps().stream().filter(st -> st.input().equals("b[1]")).findFirst().orElseThrow();
        assertEquals("db[1] = np.sum(d(broadcast b[1]), axis=1, keepdims=True)   (sum over columns back to (3, 1))",
                db.rule());
        assertArrayEquals(new double[] {4, 4, 4}, db.contribution().toRowMajorArray(), 0.0);
        assertEquals("db[1] = [[4], [4], [4]]   (3, 1)", db.result());
        ChainRuleTrace.Step dW = t.steps().stream().filter(st -> st.input().equals("W[1]")).findFirst().orElseThrow();
        assertEquals("dW[1] = d(W[1]·X) · Xᵀ", dW.rule());
        double[][] x = X.toArray();
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 2; k++) {
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    sum += x[k][j];
                }
                assertEquals(sum, dW.contribution().get(r, k), 1e-12);
            }
        }
    }

    @Test
    void badOutputsAreNamed() {
        Tensor m = Tensor.zeros(2, 3).requiringGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainRuleTrace.of(m.mul(2)));
        assertEquals("ChainRuleTrace: output must be 1×1, got (2, 3); hint: reduce it with sum() or mean() first",
                e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> ChainRuleTrace.of(Tensor.scalar(1).named("k").mul(2).named("y")));
        assertEquals("ChainRuleTrace: \"y\" does not depend on any tensor that requires gradients;"
                + " hint: mark the inputs with requiringGrad() before computing it", s.getMessage());
    }
}
