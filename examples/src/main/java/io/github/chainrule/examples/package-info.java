/**
 * Runnable programs: {@link io.github.chainrule.examples.Tour}, the tour of chainrule that the
 * README's demo command runs, and the course reproductions. Depends on every module; nothing
 * depends on it.
 */
package io.github.chainrule.examples;
