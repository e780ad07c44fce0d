package io.github.chainrule.nn;

/**
 * Updates parameters from their gradients. {@link #step()} runs with graph recording off and
 * changes parameters in place (bumping their versions).
 */
public interface Optimizer {
    /** One update of every parameter from its current gradient. */
    void step();

    /** Clears the gradients of every parameter this optimizer updates. */
    void zeroGrad();

    /** The current learning rate. */
    double learningRate();

    /** Sets the learning rate (schedules call this between epochs). */
    void setLearningRate(double learningRate);
}
