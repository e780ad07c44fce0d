/**
 * The course's assignments reproduced with chainrule: its experiments (one hidden layer,
 * initialization, optimization, gradient checking) on its data sets, which live in nn
 * ({@link io.github.chainrule.nn.data.Datasets}: the planar flower, scikit-learn's circles and moons,
 * drawn from {@code NumpyRandom} exactly as the notebooks draw them). The tests beside them compare
 * with the published results; where each expected value comes from is in docs/course-references.md.
 */
package io.github.chainrule.examples.course;
