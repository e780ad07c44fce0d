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

    @Test
    void aPassThatFailsEarlyClearsTheIntermediatesItDidNotReach() {
        Tensor x = Tensor.row(1, 2).named("x").requiringGrad(), y = Tensor.row(3, 4).named("y").requiringGrad();
        Tensor a = x.mul(2.0), b = a.mul(y), c = b.sum();
        c.backward(); // keeps a gradient on every intermediate
        assertTrue(a.hasGrad() && b.hasGrad());
        y.addInPlace(Tensor.row(1, 1), 1.0); // b saved y at the old version: the pass fails at b, before it reaches a
        assertThrows(IllegalStateException.class, c::backward);
        assertTrue(!a.hasGrad() && !b.hasGrad() && !c.hasGrad(), "an intermediate kept the gradient of an earlier pass");
    }

    @Test
    void aGraphRecordedOnTwoThreadsIsWalkedInOrder() throws InterruptedException {
        Tensor x = Tensor.scalar(0.5).named("x").requiringGrad();
        Tensor far = x;
        for (int i = 0; i < 1000; i++) { // this thread's numbering runs far ahead of a new thread's
            far = far.mul(1.0);
        }
        Tensor start = far;
        Tensor[] made = new Tensor[1];
        Thread other = new Thread(() -> {
            Tensor u = x.mul(3.0); // numbered on the new thread: after x, but before far unless raised past it
            made[0] = u.mul(start).add(u.mul(u)); // 3x·x + 9x² = 12x²
        });
        other.start();
        other.join();
        Tensor y = made[0].mul(x).add(start); // 12x³ + x: far has consumers recorded on both threads
        y.backward();
        assertEquals(36 * 0.25 + 1, x.grad().item(), 1e-12); // dy/dx = 36x² + 1, if far gets all its gradient first
    }

    @Test
    void aFailedGradLeavesNoPartialGradientForTheNextPass() {
        Tensor x = Tensor.scalar(1).requiringGrad(), y = Tensor.scalar(1).requiringGrad();
        Tensor c = x.mul(y).add(x.mul(2.0)); // x·2 is processed first: x has received 2 when the pass fails
        y.addInPlace(Tensor.scalar(1), 1.0);
        assertThrows(IllegalStateException.class, () -> Autograd.grad(c, List.of(x), false));
        assertEquals(3.0, Autograd.grad(x.mul(3.0), List.of(x), false).get(0).item());
        x.mul(3.0).backward();
        assertEquals(3.0, x.grad().item());
    }
}
