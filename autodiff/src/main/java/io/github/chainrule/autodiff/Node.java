package io.github.chainrule.autodiff;

/**
 * How a tensor was computed: the {@link Primitive}, the call's {@link Attrs}, its inputs (with
 * their versions at the time, to detect later in-place changes) and the backward rules (the
 * primitive's own, shared by every call). Leaves have no node.
 */
final class Node {
    final Primitive primitive;
    final Attrs attrs;
    final Tensor[] inputs;
    /**
     * The versions of the first two inputs when this op saved them, and of any further ones in
     * {@link #moreVersions}: fields rather than an array, as nearly every op has one or two inputs
     * and a graph of a million nodes would otherwise hold a million small arrays.
     */
    private final int version0, version1;
    private final int[] moreVersions;
    /** The primitive's rules (or, under the mutation check's hook, replacements); the last one repeats for further inputs. */
    final Rule[] rules;
    /** Where in user code the op was created; recorded only in anomaly mode. */
    final String site;
    /** The composite call that recorded this node (the innermost one), or {@code null}. */
    final Composite.Call composite;
    /**
     * A number larger than every input's: a Lamport clock of the recording thread, raised past
     * the inputs' numbers (which another thread may have recorded). The backward pass processes
     * the largest first, so a tensor's consumers all come before it; see {@link Autograd}.
     */
    final long seq;

    Node(Primitive primitive, Attrs attrs, Tensor[] inputs, Rule[] rules, String site, Composite.Call composite,
            long seq) {
        this.seq = seq;
        this.composite = composite;
        this.primitive = primitive;
        this.attrs = attrs;
        this.inputs = inputs;
        this.rules = rules;
        this.site = site;
        int n = inputs.length;
        this.version0 = n > 0 ? inputs[0].version() : 0;
        this.version1 = n > 1 ? inputs[1].version() : 0;
        int[] more = null;
        if (n > 2) {
            more = new int[n - 2];
            for (int i = 2; i < n; i++) {
                more[i - 2] = inputs[i].version();
            }
        }
        this.moreVersions = more;
    }

    /** The version input {@code i} had when this op saved it. */
    private int savedVersion(int i) {
        return i == 0 ? version0 : i == 1 ? version1 : moreVersions[i - 2];
    }

    /** The rule of input {@code i}. */
    Rule rule(int i) {
        return rules[Math.min(i, rules.length - 1)];
    }

    /** Applies the rule of input {@code i}. */
    Tensor backward(int i, Tensor upstream, Tensor out) {
        return rule(i).derivative().apply(upstream, out, this, i);
    }

    /** The name of the operation, for messages. */
    String op() {
        return primitive.opName();
    }

    /** How a formula's parameter reads for input {@code i} of this call. */
    String param(Formula.Param p, int i) {
        int[] n = attrs.ints();
        return switch (p.quantity()) {
            case CONSTANT -> Format.number(attrs.constant());
            case CONSTANT_MINUS_ONE -> Format.number(attrs.constant() - 1);
            case INPUT_SHAPE -> inputs[i].shape().toString();
            case FIRST_ROW -> Integer.toString(n[0]);
            case FIRST_COLUMN -> Integer.toString(n[2]);
            case PADDED_RANGE -> "[" + n[0] + ":" + (n[0] + inputs[i].rows()) + ", " + n[1] + ":"
                    + (n[1] + inputs[i].cols()) + "]";
            case PART_RANGE -> {
                int start = n[i], end = start + (attrs.axis() == 0 ? inputs[i].rows() : inputs[i].cols());
                yield attrs.axis() == 0 ? "[" + start + ":" + end + ", :]" : "[:, " + start + ":" + end + "]";
            }
        };
    }

    /** Leaves for the plain text of input {@code i}'s formula: the generic letters, the call's parameters. */
    Formula.Leaves plainLeaves(int i) {
        return new Formula.Leaves() {
            @Override
            public String upstream(Formula.Upstream u) {
                return u.letter();
            }

            @Override
            public String input(Formula.Input x) {
                return x.letter();
            }

            @Override
            public String param(Formula.Param p) {
                return Node.this.param(p, i);
            }
        };
    }

    /** Fails if an input was changed in place after this op saved it. */
    void checkVersions(Tensor out) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in.version() != savedVersion(i)) {
                throw new IllegalStateException(String.format(
                        "backward: %s %s was modified in place (now version %d) after %s used it at version %d"
                                + " to compute %s; hint: run the forward pass again after changing it",
                        in.label(), in.shape(), in.version(), op(), savedVersion(i), out.label()));
            }
        }
    }
}
