/**
 * A plain timed benchmark runner: chainrule against references measured in the same run (the
 * kernel against EJML and an FMA peak; the MLP step against the same step hand-written on the
 * same kernel and on EJML, and numpy when available).
 */
package io.github.chainrule.examples.bench;
