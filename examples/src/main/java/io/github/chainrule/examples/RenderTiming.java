package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.viz.GraphDrawing;
import io.github.chainrule.viz.Render;
import java.util.Arrays;

/**
 * How long drawings take with each engine this machine has: the first SVG in this JVM (which
 * starts the engine), then the median of later SVG and PNG renders of the course's J graph and of
 * a 2-layer network. {@code mvn -q -Prender-timing package -DskipTests} runs it in a fresh JVM.
 */
public final class RenderTiming {
    private static final int REPEATS = 11;

    private RenderTiming() {
    }

    public static void main(String[] args) {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad(), b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(2).named("c").requiringGrad();
        Tensor J = a.add(b.mul(c).named("u")).named("v").mul(3).named("J");
        J.backward();
        Tensor cost = VizTour.twoLayerNetwork().cost();
        for (Render.Engine engine : new Render.Engine[] {Render.Engine.BUNDLED, Render.Engine.DOT}) {
            String name = Render.engineFor(engine);
            if (name.endsWith("(none found)")) {
                System.out.println(name);
                continue;
            }
            GraphDrawing j = Render.graph(J).engine(engine), net = Render.graph(cost).engine(engine);
            long t0 = System.nanoTime();
            try {
                j.svg();
            } catch (IllegalStateException e) {
                System.out.println(name + ": not available (" + e.getMessage() + ")");
                continue;
            }
            double first = (System.nanoTime() - t0) / 1e6;
            System.out.printf("%s%n  first SVG in this JVM (starts the engine): %.0f ms%n", name, first);
            System.out.printf("  J graph: SVG %.1f ms, PNG %.1f ms (medians of %d)%n", median(j::svg), median(j::image), REPEATS);
            System.out.printf("  2-layer network: SVG %.1f ms, PNG %.1f ms%n", median(net::svg), median(net::image));
        }
    }

    private static double median(Runnable r) {
        double[] t = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[REPEATS / 2];
    }
}
