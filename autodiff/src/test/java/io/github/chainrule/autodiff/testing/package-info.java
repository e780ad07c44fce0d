/**
 * The op-table gradient property harness, shared with other modules through the autodiff
 * test-jar: {@link io.github.chainrule.autodiff.testing.OpEntry} rows, their
 * {@link io.github.chainrule.autodiff.testing.ShapeRule}s and
 * {@link io.github.chainrule.autodiff.testing.Domain}s, and
 * {@link io.github.chainrule.autodiff.testing.GradientProperty}, which checks every row with
 * Americium-drawn cases.
 */
package io.github.chainrule.autodiff.testing;
