package io.github.chainrule.autodiff;

/**
 * Thrown in {@link Anomaly} mode by the first operation whose forward value or backward
 * gradient contains NaN or ±Inf. The message names the operation, the shapes of its inputs
 * and the line of user code that created it.
 */
public final class AnomalyException extends ArithmeticException {
    AnomalyException(String message) {
        super(message);
    }
}
