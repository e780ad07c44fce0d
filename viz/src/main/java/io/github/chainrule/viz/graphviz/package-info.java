/**
 * Graphviz itself, for rendering without a {@code dot} program: {@code GraphvizModule} and its
 * machine classes are generated at build time by Chicory's compiler from the WebAssembly build
 * of Graphviz 16.1 in {@code @viz-js/viz} 3.31.0 ({@code viz/src/main/wasm/graphviz.wasm}; Graphviz
 * is EPL-1.0, viz-js MIT). Internal to viz: use {@link io.github.chainrule.viz.Render}.
 */
package io.github.chainrule.viz.graphviz;
