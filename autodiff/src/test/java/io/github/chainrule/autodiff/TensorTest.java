package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void factoriesAndAccessors() {
        Tensor t = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(6, t.get(1, 2));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toRowMajorArray());
        assertEquals(Shape.of(3, 1), Tensor.column(1, 2, 3).shape());
        assertEquals(Shape.of(1, 3), Tensor.row(1, 2, 3).shape());
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.eye(2).toRowMajorArray());
        assertArrayEquals(new double[] {7, 7}, Tensor.full(1, 2, 7).toRowMajorArray());
        assertEquals(2.5, Tensor.scalar(2.5).item());
    }

    @Test
    void randnMatchesNumpyRowMajor() {
        // np.random.seed(1); np.random.randn(2, 2) = [[1.62434536, -0.61175641], [-0.52817175, -1.07296862]]
        Tensor t = Tensor.randn(2, 2, new NumpyRandom(1));
        assertEquals(1.62434536, t.get(0, 0), 1e-8);
        assertEquals(-0.61175641, t.get(0, 1), 1e-8);
        assertEquals(-0.52817175, t.get(1, 0), 1e-8);
        assertEquals(-1.07296862, t.get(1, 1), 1e-8);
    }

    @Test
    void printing() {
        assertEquals("J (1, 1) = 33", Tensor.scalar(33).named("J").toString());
        assertEquals("W (2, 2) =\n[[1, 0.5],\n [-2, 1.25e-09]]",
                Tensor.of(new double[][] {{1, 0.5}, {-2, 1.25e-9}}).named("W").toString());
        String big = Tensor.zeros(8, 9).toString();
        assertEquals("tensor (8, 9) =\n[[0, 0, 0, ..., 0, 0, 0],\n [0, 0, 0, ..., 0, 0, 0],\n"
                + " [0, 0, 0, ..., 0, 0, 0],\n ...,\n [0, 0, 0, ..., 0, 0, 0],\n [0, 0, 0, ..., 0, 0, 0],\n"
                + " [0, 0, 0, ..., 0, 0, 0]]", big);
        assertEquals("1.6243454", Format.number(1.62434536));
        assertEquals("-0.5", Format.number(-0.5));
    }

    @Test
    void inPlaceChangesBumpTheVersion() {
        Tensor w = Tensor.zeros(1, 2);
        w.addInPlace(Tensor.ones(1, 2), 0.5);
        w.set(0, 0, 3);
        assertEquals(2, w.version());
        assertArrayEquals(new double[] {3, 0.5}, w.toRowMajorArray());
    }

    @Test
    void ejmlConversionsCopy() {
        Tensor t = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        var m = t.toEjml();
        m.set(0, 0, 9);
        assertEquals(1, t.get(0, 0));
        assertEquals(9, Tensor.fromEjml(m).get(0, 0));
    }

    @Test
    void firstNonFiniteGradientFindsNaNAndInfinityWithoutHandingTheGradientOut() {
        Tensor x = Tensor.row(1, 0, 4).named("x").requiringGrad();
        IllegalStateException e = assertThrows(IllegalStateException.class, x::firstNonFiniteGradient);
        assertTrue(e.getMessage().contains("\"x\" (1, 3) has no gradient"), e.getMessage());
        x.sqrt().sum().backward(); // 1/(2√x): ∞ at 0
        assertEquals(1, x.firstNonFiniteGradient());
        assertEquals(Tensor.HELD, x.storedGrad().gradUse); // still the engine's: its storage can be reused
        x.zeroGrad();
        x.mul(2.0).sum().backward();
        assertEquals(-1, x.firstNonFiniteGradient());
    }
}
