/**
 * Pictures and explanations of chainrule's computation graphs: DOT text of a graph with its
 * values and gradients ({@link io.github.chainrule.viz.Render}), rendered to SVG and PNG
 * through Graphviz-java; chain-rule traces as text and Markdown
 * ({@link io.github.chainrule.viz.ChainRuleTrace}); training plots: cost curves and 2-D
 * decision boundaries ({@link io.github.chainrule.viz.Plots}).
 *
 * <p>Depends on {@code autodiff}'s public graph view only
 * ({@link io.github.chainrule.autodiff.ComputationGraph}, {@link io.github.chainrule.autodiff.GraphNode}),
 * on Graphviz-java and Chicory for rendering and on XChart for plots. It never imports {@code nn}: layers
 * are recognised by the course's naming convention, a name ending in {@code [l]} ({@code W[1]},
 * {@code b[1]}, {@code Z[1]}, {@code A[1]}), possibly followed by closing parentheses
 * ({@code BN(Z[1])}, {@code dropout(A[1])}).
 *
 * <p><b>Engines.</b> Rendering uses the {@code dot} program when it is on the {@code PATH}
 * (or named by the system property {@code chainrule.dot}; {@code none} hides it), otherwise
 * Graphviz 16.1 bundled with viz: its WebAssembly build compiled to JVM bytecode at build time by
 * Chicory ({@code WasmGraphviz}, classes in {@code io.github.chainrule.viz.graphviz}), which needs
 * no native library and writes no file. The {@code dot} program runs as a pipe, so viz leaves
 * nothing in {@code $HOME} or the temporary folder. Files are written atomically (a temporary file
 * beside the target, then a move); when no engine can render, the DOT text is written beside the
 * requested picture instead.
 *
 * <p><b>Text.</b> Labels are measured with Liberation Sans, bundled ({@code TextMetrics}), and each
 * gets a cell at least that large, so text fits its shape with either engine; SVG names that font
 * first, PNG is drawn with it.
 *
 * <p><b>The JDK's font cache.</b> The first time any JVM on Linux draws text (here: a PNG or a
 * plot), the JDK itself caches its fontconfig lookup in
 * {@code ~/.java/fonts/<java.version>/fcinfo-*.properties}, as it does for every Swing or
 * Java2D program; viz leaves that cache to the JDK by default. To keep it out of {@code $HOME}
 * (tests, batch jobs), run with {@code -Dchainrule.viz.privateFontCache=true}: the JDK's font
 * set-up then runs once with {@code user.home} briefly pointing at a temporary folder (see
 * {@code Java2d}). viz never sets {@code java.awt.headless} or any other JVM-wide property.
 *
 * <p><b>Logging.</b> Graphviz-java logs through SLF4J, and its classes are loaded only when a
 * picture is rendered (never for {@code dot()}, traces or plots). viz ships no SLF4J provider:
 * a library must not choose the application's logging, and a second provider would make SLF4J
 * warn about the conflict. An application without a provider sees SLF4J's three-line
 * {@code No SLF4J providers were found} notice once, at the first picture; adding
 * {@code org.slf4j:slf4j-nop} (or any provider) at runtime silences it.
 */
package io.github.chainrule.viz;
