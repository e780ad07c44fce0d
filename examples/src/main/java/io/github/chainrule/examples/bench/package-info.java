/**
 * A plain timed benchmark runner: chainrule against references measured in the same run
 * (EJML directly, the same network hand-written on EJML, numpy when available).
 */
package io.github.chainrule.examples.bench;
