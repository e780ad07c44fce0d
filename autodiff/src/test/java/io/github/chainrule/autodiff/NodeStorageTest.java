package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node keeps compactly still reads back right: the versions of every input (two held in
 * fields, further ones in an array) and constants that consecutive calls share.
 */
class NodeStorageTest {

    @Test
    void anInPlaceChangeOfAnyInputIsCaughtWhateverItsPosition() {
        for (int changed = 0; changed < 4; changed++) {
            Tensor[] parts = new Tensor[4];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = Tensor.row(i + 1.0, i + 2.0).named("p" + i).requiringGrad();
            }
            Tensor out = Tensor.concat(0, parts).mul(Tensor.concat(0, parts)).sum();
            parts[changed].addInPlace(Tensor.row(1, 1), 1.0);
            IllegalStateException e = assertThrows(IllegalStateException.class, out::backward);
            assertTrue(e.getMessage().contains("p" + changed), e.getMessage());
        }
    }

    @Test
    void consecutiveConstantsKeepTheirOwnValues() {
        Tensor x = Tensor.scalar(1.5).named("x").requiringGrad();
        Tensor y = x.mul(2.0).mul(2.0).mul(3.0).mul(-0.0).add(0.0).pow(2.0).mul(2.0);
        List<Double> constants = ComputationGraph.of(y).nodes().stream()
                .filter(n -> !Double.isNaN(n.constant())).map(GraphNode::constant).toList();
        assertEquals(List.of(2.0, 2.0, 3.0, -0.0, 0.0, 2.0, 2.0), constants);
        y.backward();
        // y = (x·2·2·3·(−0) + 0)² · 2, so dy/dx = 2 · 2(x·12·(−0))·(12·(−0)) = 0
        assertEquals(0.0, Math.abs(x.grad().item()));
        Tensor z = x.mul(2.0).mul(3.0);
        z.backward();
        assertEquals(6.0, x.grad().item());
    }

    @Test
    void aFailedPassChangesNoLeafGradientAndLeavesNoPartialOne() {
        Tensor x = Tensor.row(1, 2).named("x").requiringGrad();
        x.mul(5.0).sum().backward();
        Tensor before = x.grad();
        Tensor a = x.mul(2.0), b = a.mul(3.0), c = b.sum();
        x.addInPlace(Tensor.row(1, 1), 1.0); // a saved x at the old version: the pass fails when it reaches a
        assertThrows(IllegalStateException.class, c::backward);
        assertTrue(x.grad() == before && x.grad().get(0, 0) == 5.0 && x.grad().get(0, 1) == 5.0);
        assertTrue(!b.hasGrad() && !c.hasGrad(), "an intermediate kept the gradient of a failed pass");
    }
}
