package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Loss label shapes: the fused losses used to broadcast their labels, so logits
 * {@code (1, 5)} with labels {@code (5, 1)} silently gave a {@code (5, 5)} loss (PyTorch raises).
 * Every loss now requires the labels' shape to equal the predictions' ({@link Checks#labels}).
 */
class LossLabelsTest {
    private static final Tensor LOGITS = Tensor.row(0.5, -1, 2, 0, 1);
    private static final Tensor LABELS = Tensor.row(1, 0, 1, 0, 1);

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void transposedLabelsAreRefusedNotBroadcast() {
        Tensor probabilities = LOGITS.sigmoid();
        assertEquals("sigmoidCrossEntropyWithLogits: labels (5, 1) must have the shape of the logits (1, 5)"
                + " (labels are not broadcast); hint: the labels look transposed; one example per column, so pass"
                + " labels.transpose()", message(() -> LOGITS.sigmoidCrossEntropyWithLogits(LABELS.transpose())));
        assertEquals("binaryCrossEntropy: labels (5, 1) must have the shape of the probabilities (1, 5)"
                + " (labels are not broadcast); hint: the labels look transposed; one example per column, so pass"
                + " labels.transpose()", message(() -> probabilities.binaryCrossEntropy(LABELS.transpose())));
        assertEquals("softmaxCrossEntropyWithLogits: labels (5, 1) must have the shape of the logits (1, 5)"
                + " (labels are not broadcast); hint: the labels look transposed; one example per column, so pass"
                + " labels.transpose()", message(() -> LOGITS.softmaxCrossEntropyWithLogits(LABELS.transpose())));
    }

    @Test
    void noFormOfBroadcastingIsAccepted() {
        for (BinaryOperator<Tensor> loss : List.<BinaryOperator<Tensor>>of(
                Tensor::sigmoidCrossEntropyWithLogits, (z, y) -> z.sigmoid().binaryCrossEntropy(y),
                Tensor::softmaxCrossEntropyWithLogits)) {
            message(() -> loss.apply(LOGITS, Tensor.scalar(1)));                   // one label for all
            message(() -> loss.apply(Tensor.zeros(3, 5), LABELS));                 // a row of class indices
            message(() -> loss.apply(LOGITS, Tensor.zeros(3, 5)));
            assertEquals(5, loss.apply(LOGITS, LABELS).cols(), "equal shapes still work");
        }
        assertEquals("softmaxCrossEntropyWithLogits: labels (1, 5) must have the shape of the logits (3, 5) (labels"
                + " are not broadcast); hint: for integer class labels given as a row, pass one-hot columns of"
                + " shape (3, m) (nn's Losses.oneHot(labels, 3) builds them)", message(() -> Tensor.zeros(3, 5).softmaxCrossEntropyWithLogits(LABELS)));
        assertEquals("sigmoidCrossEntropyWithLogits: labels (2, 5) must have the shape of the logits (1, 5) (labels are"
                + " not broadcast); hint: one example per column, so logits and labels are both (outputs, m)",
                message(() -> LOGITS.sigmoidCrossEntropyWithLogits(Tensor.zeros(2, 5))));
    }

    @Test
    void equalShapesGiveTheElementwiseLoss() {
        Tensor loss = LOGITS.sigmoidCrossEntropyWithLogits(LABELS);
        assertEquals(Shape.of(1, 5), loss.shape());
        // -log(sigmoid(0.5)) = log(1 + e^-0.5)
        assertEquals(Math.log1p(Math.exp(-0.5)), loss.get(0, 0), 1e-15);
    }
}
