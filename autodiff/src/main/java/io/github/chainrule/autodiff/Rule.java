package io.github.chainrule.autodiff;

/**
 * One input's backward rule: the derivative as tensor operations beside its formula as a value
 * ({@code g · b}), and the letter the formula calls the input ({@code ∂/∂a = g · b}). Built once
 * per {@link Primitive}, never per call.
 */
record Rule(String input, Formula formula, Derivative derivative) {
    static Rule of(String input, Formula formula, Derivative derivative) {
        return new Rule(input, formula, derivative);
    }

    /** The rule as plain text, e.g. {@code "∂/∂a = g · b"}, with the call's parameters filled in. */
    String text(Node node, int index) {
        return "∂/∂" + input + " = " + formula.render(node.plainLeaves(index));
    }
}
