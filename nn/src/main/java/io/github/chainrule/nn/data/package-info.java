/**
 * Data sets in the course's layout: {@code X} of shape {@code (n_x, m)} and {@code Y} of shape
 * {@code (n_y, m)}, one example per column; mini-batches with the course's semantics;
 * train/test splits; standardization; CSV loading (one CSV row is one example, so it becomes
 * one column); the course's data sets ({@link io.github.chainrule.nn.data.Datasets}: planar flower,
 * circles, moons), generated bit for bit as the notebooks generate them.
 *
 * <p>Depends on {@code io.github.chainrule.autodiff} and Apache Commons CSV.
 */
package io.github.chainrule.nn.data;
