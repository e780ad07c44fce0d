/**
 * Pictures and explanations of chainrule's computation graphs: DOT text of a graph with its
 * values and gradients ({@link io.github.chainrule.viz.Render}), rendered to SVG and PNG
 * through Graphviz-java; chain-rule traces as text and Markdown
 * ({@link io.github.chainrule.viz.ChainRuleTrace}); training plots: cost curves and 2-D
 * decision boundaries ({@link io.github.chainrule.viz.Plots}).
 *
 * <p>Depends on {@code autodiff}'s public graph view only
 * ({@link io.github.chainrule.autodiff.ComputationGraph}, {@link io.github.chainrule.autodiff.GraphNode}),
 * on Graphviz-java for rendering and on XChart for plots. It never imports {@code nn}: layers
 * are recognised by the course's naming convention, a name ending in {@code [l]} ({@code W[1]},
 * {@code b[1]}, {@code Z[1]}, {@code A[1]}).
 *
 * <p><b>Engines.</b> Rendering uses the {@code dot} program when it is on the {@code PATH}
 * (or named by the system property {@code chainrule.dot}), otherwise the Graphviz engine bundled
 * with Graphviz-java (viz.js on J2V8, x86_64 Linux). The bundled engine's native library is
 * extracted into a private temporary folder that is deleted as soon as it is loaded; the JDK's
 * font cache, which Java2D would write to {@code ~/.java/fonts}, is redirected the same way, so
 * nothing is left in {@code $HOME} or the temporary folder. Files are written atomically (a
 * temporary file beside the target, then a move).
 *
 * <p><b>Logging.</b> Graphviz-java logs through SLF4J. viz ships no SLF4J provider (a library
 * must not choose the application's logging); applications that have none can add
 * {@code org.slf4j:slf4j-nop} to silence SLF4J's one-line notice.
 */
package io.github.chainrule.viz;
