package io.github.chainrule.autodiff;

/**
 * One input's backward rule together with its formula as text (e.g. {@code "∂/∂a = g · b"}),
 * which graph drawings and chain-rule traces show to learners.
 */
record Rule(String formula, Derivative derivative) {
    static Rule of(String formula, Derivative derivative) {
        return new Rule(formula, derivative);
    }
}
