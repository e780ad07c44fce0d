package io.github.chainrule.viz;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;

/**
 * Entry point for drawings: {@code Render.graph(J).toSvg(Path.of("out/j.svg"))} draws the graph
 * that computed {@code J} with its values and (after {@code J.backward()}) its gradients.
 *
 * <pre>{@code
 * Tensor a = Tensor.scalar(5).named("a").requiringGrad(), b = ..., c = ...;
 * Tensor J = a.add(b.mul(c).named("u")).named("v").mul(3).named("J");
 * J.backward();
 * Render.graph(J).toSvg(Path.of("out/j.svg"));
 * Render.graph(J).direction(GraphDrawing.Direction.TOP_TO_BOTTOM).toPng(Path.of("out/j.png"));
 * String dot = Render.graph(J).dot();          // the DOT text, deterministic
 * }</pre>
 */
public final class Render {
    /** Which Graphviz engine renders pictures. */
    public enum Engine {
        /**
         * The {@code dot} program when it is on the PATH (and the system property
         * {@code chainrule.dot} is not {@code none}), otherwise the bundled engine.
         */
        AUTO,
        /** The {@code dot} program (from the PATH, or the path in the system property {@code chainrule.dot}). */
        DOT,
        /**
         * Graphviz 16.1 bundled with viz: its WebAssembly build translated to JVM bytecode at build
         * time, so it runs in this JVM on any OS and CPU with nothing installed.
         */
        BUNDLED
    }

    private Render() {
    }

    /**
     * A drawing of the graph that computed {@code output}: values, and gradients when a
     * backward pass stored them.
     *
     * @throws NullPointerException if {@code output} is null
     */
    public static GraphDrawing graph(Tensor output) {
        Checks.notNull(output, "Render.graph", "output");
        return new GraphDrawing(output);
    }

    /** Which engine {@code engine} resolves to on this machine, e.g. {@code "dot program /usr/bin/dot"}. */
    public static String engineFor(Engine engine) {
        Checks.notNull(engine, "Render.engineFor", "engine");
        return Engines.describe(engine);
    }
}
