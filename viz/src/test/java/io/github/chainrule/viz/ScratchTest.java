package io.github.chainrule.viz;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() throws Exception {
        var J = Graphs.courseJ();
        System.out.println(ChainRuleTrace.of(J).toText());
        System.out.println(ChainRuleTrace.of(J).toMarkdown());
        var net = Graphs.deepNetwork(5, 2, 4, 3, 1);
        System.out.println(ChainRuleTrace.of(net).toText());
        var runs = new LinkedHashMap<String, double[]>();
        double[] a = new double[100], b = new double[100];
        for (int i = 0; i < 100; i++) { a[i] = 0.7 * Math.exp(-i / 20.0) + 0.1; b[i] = 0.7 * Math.exp(-i / 50.0) + 0.2; }
        b[0] = Double.POSITIVE_INFINITY;
        runs.put("lr 1.2", a); runs.put("lr 0.5", b);
        Plots.costCurves(runs).every(100).title("Cost per iteration").toPng(Path.of("target/scratch/costs.png"));
        var rng = new NumpyRandom(3);
        Tensor X = Tensor.randn(2, 200, rng);
        double[] y = new double[200];
        for (int j = 0; j < 200; j++) y[j] = X.get(0, j) * X.get(0, j) + X.get(1, j) * X.get(1, j) < 1.2 ? 1 : 0;
        Plots.decisionBoundary(g -> {
            double[] out = new double[g.cols()];
            for (int j = 0; j < g.cols(); j++) out[j] = g.get(0, j) * g.get(0, j) + g.get(1, j) * g.get(1, j) < 1.3 ? 0.9 : 0.1;
            return Tensor.row(out);
        }, X, Tensor.row(y)).toPng(Path.of("target/scratch/boundary.png"));
    }
}
