/**
 * The course's assignments reproduced with chainrule: its data sets (the planar flower,
 * scikit-learn's circles and moons, drawn from {@code NumpyRandom} exactly as the notebooks draw
 * them) and its experiments (one hidden layer, initialization, gradient checking). The tests
 * beside them compare with the published results.
 */
package io.github.chainrule.examples.course;
