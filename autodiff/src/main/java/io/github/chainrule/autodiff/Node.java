package io.github.chainrule.autodiff;

/**
 * How a tensor was computed: the operation, its inputs (with their versions at the time, to
 * detect later in-place changes) and one backward {@link Rule} per input. Leaves have no node.
 */
final class Node {
    final String op;
    final String detail;
    final Tensor[] inputs;
    final int[] versions;
    final Rule[] rules;
    /** Where in user code the op was created; recorded only in anomaly mode. */
    final String site;

    Node(String op, String detail, Tensor[] inputs, Rule[] rules, String site) {
        this.op = op;
        this.detail = detail;
        this.inputs = inputs;
        this.rules = rules;
        this.site = site;
        this.versions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            versions[i] = inputs[i].version();
        }
    }

    /** Fails if an input was changed in place after this op saved it. */
    void checkVersions(Tensor out) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in.version() != versions[i]) {
                throw new IllegalStateException(String.format(
                        "backward: %s %s was modified in place (now version %d) after %s used it at version %d"
                                + " to compute %s; hint: run the forward pass again after changing it",
                        in.label(), in.shape(), in.version(), op, versions[i], out.label()));
            }
        }
    }
}
