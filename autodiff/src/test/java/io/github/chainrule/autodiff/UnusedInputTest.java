package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differentiating what does not require gradients: {@code Autograd.grad} used to
 * return zeros for an input not marked {@code requiringGrad()} or not used by the output, while
 * {@code backward()} threw. Now it throws as PyTorch does ("One of the differentiated Tensors
 * does not require grad", "appears to not have been used in the graph"), naming the input, unless
 * {@code allowUnused} asks for zeros.
 */
class UnusedInputTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void anInputThatDoesNotRequireGradIsAnError() {
        Tensor x = Tensor.scalar(3).named("x").requiringGrad();
        Tensor w = Tensor.ones(2, 3).named("W");                       // forgot requiringGrad()
        Tensor out = w.mul(x).sum();
        assertEquals("grad: input 1 \"W\" (2, 3) does not require grad, so no gradient flows to it; hint: mark it with"
                + " requiringGrad() before computing the output, or pass allowUnused = true to get zeros for it",
                message(() -> Autograd.grad(out, List.of(x, w), false)));
        assertEquals("vjp: input 0 (1, 1) does not require grad, so no gradient flows to it; hint: mark it with"
                + " requiringGrad() before computing the output, or pass allowUnused = true to get zeros for it",
                message(() -> Autograd.vjp(out, Tensor.scalar(1), List.of(Tensor.scalar(1)), false)));
    }

    @Test
    void anInputTheOutputDoesNotDependOnIsAnError() {
        Tensor x = Tensor.scalar(3).named("x").requiringGrad();
        Tensor y = Tensor.row(1, 2).named("y").requiringGrad();        // tracked, but not used
        Tensor out = x.mul(x);
        assertEquals("grad: input 1 \"y\" (1, 2) was not used to compute the output (1, 1) (it does not appear in its"
                + " graph); hint: pass allowUnused = true to get zeros for it",
                message(() -> Autograd.grad(out, List.of(x, y), false)));
        Tensor recordedWithoutGrad;
        try (Grad.Scope off = Grad.disabled()) {
            recordedWithoutGrad = x.mul(x);
        }
        Tensor r = recordedWithoutGrad;
        assertEquals("grad: input 0 \"x\" (1, 1) was not used to compute the output (1, 1) (it does not appear in its"
                + " graph, which was not recorded: computed in a no-grad scope or from detached tensors); hint: pass"
                + " allowUnused = true to get zeros for it", message(() -> Autograd.grad(r, List.of(x), false)));
        // backward() fails in the same situation, as before
        assertThrows(IllegalStateException.class, r::backward);
    }

    @Test
    void allowUnusedGivesZerosOfTheInputsShape() {
        Tensor x = Tensor.scalar(3).requiringGrad();
        Tensor y = Tensor.row(1, 2).requiringGrad(), constant = Tensor.ones(2, 2);
        List<Tensor> g = Autograd.grad(x.mul(x), List.of(x, y, constant), true, true);
        assertEquals(6, g.get(0).item());
        assertEquals(Shape.of(1, 2), g.get(1).shape());
        assertArrayEquals(new double[] {0, 0}, g.get(1).toRowMajorArray());
        assertArrayEquals(new double[4], g.get(2).toRowMajorArray());
        List<Tensor> v = Autograd.vjp(x.mul(y), Tensor.row(1, 1), List.of(x, constant), false, true);
        assertEquals(3, v.get(0).item());
        assertArrayEquals(new double[4], v.get(1).toRowMajorArray());
    }
}
