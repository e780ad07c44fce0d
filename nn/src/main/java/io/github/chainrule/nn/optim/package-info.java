/**
 * Optimizers and learning-rate schedules: gradient descent, momentum, RMSProp and Adam with
 * the course's update rules, and the course's decay schedules.
 *
 * <p>Every optimizer updates the parameters it was given (usually {@code model.parameters()})
 * in place, inside a {@link io.github.chainrule.autodiff.Grad#disabled()} scope, from the
 * gradients left by {@code cost.backward()}. Optimizer state ({@code v}, {@code s}, the step
 * counter {@code t}) lives in plain {@code double[]} arrays, one per parameter, created on the
 * first step.
 *
 * <p>Depends on {@code io.github.chainrule.autodiff} and {@link io.github.chainrule.nn.Module}
 * and {@link io.github.chainrule.nn.Optimizer} only.
 */
package io.github.chainrule.nn.optim;
