package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each verdict of the diagnostics on a network built to provoke it. */
class DiagnosticsTest {
    private static final Tensor X = Tensor.randn(4, 32, new NumpyRandom(0));
    private static final Tensor Y = Dropout.mask(1, 32, 0.5, new NumpyRandom(1));

    private static Diagnostics.Report run(Sequential model, Loss loss) {
        loss.cost(model.forward(X), Y).backward();
        Diagnostics.Report r = Diagnostics.of(model);
        System.out.println(r);
        return r;
    }

    @Test
    void heInitializedReluNetworkIsHealthy() {
        Sequential model = Sequential.builder(4, 8, 8, 1).initializer(Initializer.HE).seed(3).build();
        Diagnostics.Report r = run(model, Losses.BINARY_CROSS_ENTROPY);
        assertTrue(r.healthy(), r.toString());
        assertEquals(List.of("hidden1", "hidden2", "output"), r.layers().stream().map(Diagnostics.LayerReport::layer).toList());
        assertTrue(r.layers().get(0).deadFraction() < 0.5);
        assertTrue(Double.isNaN(r.layers().get(0).saturatedFraction()));
        assertTrue(r.layers().get(2).gradNorm() > 0);
    }

    @Test
    void largeWeightsSaturateSigmoidUnits() {
        Sequential model = Sequential.builder(4, 8, 1).hidden(Activation.SIGMOID).initializer(Initializer.scaled(10))
                .seed(3).build();
        Diagnostics.LayerReport hidden = run(model, Losses.BINARY_CROSS_ENTROPY).layers().get(0);
        assertTrue(hidden.saturatedFraction() > 0.5, hidden.toString());
        assertTrue(hidden.verdicts().get(0).startsWith("saturated: "), hidden.verdicts().toString());
    }

    @Test
    void negativeBiasesKillReluUnits() {
        Sequential model = Sequential.builder(4, 8, 1).initializer(Initializer.HE).seed(3).build();
        ((Dense) model.children().get("hidden1")).bias().assign(Tensor.full(8, 1, -100));
        Diagnostics.LayerReport hidden = run(model, Losses.BINARY_CROSS_ENTROPY).layers().get(0);
        assertEquals(1.0, hidden.deadFraction());
        assertTrue(hidden.verdicts().contains("dead ReLUs: 8 of 8 units output 0 for every example, so they get no"
                + " gradient; hint: Initializer.HE, a lower learning rate or leaky ReLU"), hidden.verdicts().toString());
        assertTrue(hidden.verdicts().stream().anyMatch(v -> v.startsWith("vanishing: |dW[1]| = 0.000e+00")),
                hidden.verdicts().toString());
    }

    @Test
    void tinyWeightsInADeepSigmoidNetworkVanish() {
        Sequential model = Sequential.builder(4, 6, 6, 6, 1).hidden(Activation.SIGMOID)
                .initializer(Initializer.scaled(1e-4)).seed(3).build();
        Diagnostics.LayerReport first = run(model, Losses.BINARY_CROSS_ENTROPY).layers().get(0);
        assertTrue(first.verdicts().get(0).startsWith("vanishing: |dW[1]|"), first.verdicts().toString());
    }

    @Test
    void hugeLinearWeightsExplode() {
        Sequential model = Sequential.builder(4, 6, 6, 1).hidden(Activation.IDENTITY).output(Activation.IDENTITY)
                .initializer(Initializer.scaled(1e3)).seed(3).build();
        Diagnostics.LayerReport first = run(model, Losses.MEAN_SQUARED_ERROR).layers().get(0);
        assertTrue(first.verdicts().get(0).startsWith("exploding: |dW[1]|"), first.verdicts().toString());
    }

    @Test
    void beforeForwardAndBackwardTheReportSaysSo() {
        Sequential model = Sequential.builder(4, 3, 1).seed(1).build();
        Diagnostics.Report r = Diagnostics.of(model);
        assertFalse(r.healthy());
        assertEquals(List.of("no gradient yet: call backward() on the cost first", "no forward yet: call forward() first"),
                r.layers().get(0).verdicts());
    }
}
