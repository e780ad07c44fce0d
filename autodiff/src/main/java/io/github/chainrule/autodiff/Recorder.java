package io.github.chainrule.autodiff;

/**
 * Creates an operation's result: attaches the graph node when recording is on and an input
 * tracks gradients, and runs the anomaly check on the forward value.
 */
final class Recorder {
    private Recorder() {
    }

    /**
     * @param rules one backward rule per input, in input order
     * @param data  the result's elements; ownership passes to the new tensor
     */
    static Tensor record(String op, String detail, Shape shape, double[] data, Tensor[] inputs, Rule... rules) {
        boolean track = false;
        if (Grad.isEnabled()) {
            for (Tensor in : inputs) {
                track |= in.requiresGrad();
            }
        }
        boolean anomaly = Anomaly.checksForward();
        String site = anomaly ? Anomaly.userSite() : null;
        Tensor out = new Tensor(shape, data, track ? new Node(op, detail, inputs, rules, site) : null);
        if (anomaly) {
            Anomaly.checkForward(op, inputs, out, site);
        }
        return out;
    }

    /** A constant (no graph) of the given shape, used for masks inside backward rules. */
    static Tensor constant(Shape shape, double[] data) {
        return Tensor.wrap(shape, data);
    }
}
