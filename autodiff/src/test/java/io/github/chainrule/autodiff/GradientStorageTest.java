package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.testing.Program;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storage of cleared gradients reused by later backward passes ({@link SpareArrays}): only
 * gradients nobody was given are reused, a gradient a caller holds never changes, and results do
 * not depend on what a reused array held before.
 */
class GradientStorageTest {
    private final NumpyRandom rng = new NumpyRandom(11);

    @BeforeEach
    @AfterEach
    void noKeptArrays() {
        SpareArrays.clear();
    }

    /** J = Σ relu(W·X + b) with W (4, 6), X (6, 5). */
    private static Tensor cost(Tensor w, Tensor x, Tensor b) {
        return w.matmul(x).add(b).relu().sum();
    }

    @Test
    void aGradientReturnedByGradIsNeverReused() {
        Tensor w = Tensor.randn(4, 6, rng).requiringGrad(), b = Tensor.zeros(4, 1).requiringGrad();
        Tensor x = Tensor.randn(6, 5, rng);
        cost(w, x, b).backward();
        Tensor held = w.grad();
        double[] before = held.toRowMajorArray();
        w.zeroGrad();
        // other values, so that a reused array would show
        Tensor x2 = x.mul(-3.0);
        for (int i = 0; i < 3; i++) {
            cost(w, x2, b).backward();
            w.zeroGrad();
        }
        assertArrayEquals(before, held.toRowMajorArray(), 0.0, "a gradient the caller holds changed");
    }

    @Test
    void aClearedGradientNobodyWasGivenIsReusedWithTheSameNumbers() {
        Tensor w = Tensor.randn(4, 6, rng).requiringGrad(), b = Tensor.zeros(4, 1);
        Tensor x = Tensor.randn(6, 5, rng);
        cost(w, x, b).backward();
        double[] expected = w.grad().toRowMajorArray();
        w.zeroGrad(); // handed out: not kept
        cost(w, x, b).backward();
        int kept = SpareArrays.kept();
        w.zeroGrad(); // never handed out: kept
        assertEquals(kept + 1, SpareArrays.kept(), "the cleared gradient's array was not kept");
        cost(w, x, b).backward();
        assertEquals(kept, SpareArrays.kept(), "the next product did not take the kept array");
        assertArrayEquals(expected, w.grad().toRowMajorArray(), 0.0);
    }

    @Test
    void productsOverwriteEveryElementOfAReusedArray() {
        Tensor a = Tensor.randn(7, 9, rng), c = Tensor.randn(9, 5, rng);
        double[] fresh = a.matmul(c).toRowMajorArray();
        for (int i = 0; i < 4; i++) {
            double[] junk = new double[35];
            Arrays.fill(junk, Double.NaN);
            SpareArrays.give(junk);
        }
        assertArrayEquals(fresh, a.matmul(c).toRowMajorArray(), 0.0);
        assertArrayEquals(fresh, a.matmul(c).toRowMajorArray(), 0.0);
    }

    @Test
    void keptStorageIsBounded() {
        for (int i = 0; i < 2 * SpareArrays.MAX_ARRAYS; i++) {
            SpareArrays.give(new double[3]);
        }
        assertEquals(SpareArrays.MAX_ARRAYS, SpareArrays.kept());
        for (int i = 0; i < SpareArrays.MAX_ARRAYS; i++) {
            SpareArrays.take(3);
        }
        assertEquals(0, SpareArrays.kept());
    }

    @Test
    void addGradInPlaceIsTheSameUpdateAsAddInPlaceOfTheGradient() {
        Tensor w = Tensor.randn(4, 6, rng).requiringGrad(), b = Tensor.zeros(4, 1).requiringGrad();
        Tensor x = Tensor.randn(6, 5, rng);
        Tensor twin = w.detach().requiringGrad(), twinB = b.detach().requiringGrad();
        cost(w, x, b).backward();
        cost(twin, x, twinB).backward();
        int version = w.version();
        try (Grad.Scope off = Grad.disabled()) {
            w.addGradInPlace(-0.1);
            twin.addInPlace(twin.grad(), -0.1);
        }
        assertEquals(version + 1, w.version());
        assertArrayEquals(twin.toRowMajorArray(), w.toRowMajorArray(), 0.0);
    }

    @Test
    void addGradInPlaceRefusesATensorWithoutGradientOrANonLeaf() {
        Tensor w = Tensor.randn(2, 2, rng).requiringGrad();
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> w.addGradInPlace(-0.1));
        assertTrue(none.getMessage().contains("has no gradient"), none.getMessage());
        Tensor y = w.mul(2.0);
        y.sum().backward();
        IllegalStateException result = assertThrows(IllegalStateException.class, () -> y.addGradInPlace(-0.1));
        assertTrue(result.getMessage().contains("only leaves"), result.getMessage());
    }

    @Test
    void storedGradientsStayDistinctObjectsWhenStorageIsReused() {
        Tensor a = Tensor.row(1, 2).requiringGrad(), b = Tensor.row(3, 4).requiringGrad();
        for (int i = 0; i < 3; i++) {
            a.add(b).sum().backward();
            assertNotSame(a.storedGrad(), b.storedGrad());
            assertSame(a.storedGrad(), a.storedGrad());
            a.zeroGrad();
            b.zeroGrad();
        }
    }

    /**
     * The training pass (intermediate gradients not kept, their storage reused as soon as no slot
     * holds them) gives exactly the gradients {@code Autograd.grad} gives, on random programs with
     * shared intermediates, broadcasting and structural ops, three steps in a row so that later
     * steps run on reused storage.
     */
    @Test
    void theTrainingPassGivesTheSameGradientsOnRandomPrograms() {
        Iterator<Program> programs = RandomPrograms.trials().withLimit(400).asIterator();
        int checked = 0;
        while (programs.hasNext()) {
            Program p = programs.next();
            List<Tensor> xs = p.inputs();
            xs.forEach(Tensor::requiringGrad);
            Tensor out = p.evaluate(xs);
            List<Tensor> expected = Autograd.grad(weighted(out), xs, false);
            for (int step = 0; step < 3; step++) {
                List<Tensor> ys = p.inputs();
                ys.forEach(Tensor::requiringGrad);
                Autograd.backward(weighted(p.evaluate(ys)), false);
                for (int i = 0; i < ys.size(); i++) {
                    assertArrayEquals(expected.get(i).toRowMajorArray(), ys.get(i).storedGrad().toRowMajorArray(), 0.0,
                            "input " + i + " at step " + step + " of\n" + p.toJava());
                }
                ys.forEach(Tensor::zeroGrad);
            }
            checked++;
        }
        assertTrue(checked >= 100, "only " + checked + " programs");
    }

    /** {@code Σ w ⊙ out} with weights 1, 1.25, 1.5, ...: every element of the output counts differently. */
    private static Tensor weighted(Tensor out) {
        double[] w = new double[out.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 + 0.25 * i;
        }
        return out.mul(Tensor.fromRowMajor(out.rows(), out.cols(), w)).sum();
    }
}
