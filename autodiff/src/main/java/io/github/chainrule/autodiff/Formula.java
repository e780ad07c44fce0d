package io.github.chainrule.autodiff;

import java.util.ArrayList;
import java.util.List;

/**
 * A backward rule's right-hand side as a small expression value, e.g. {@code g · b} for the
 * left input of a product or {@code G · Bᵀ} for a matrix product. Each {@link Primitive} holds
 * one per input, built once; readers render it without parsing text: {@link #plain()} gives the
 * formula with the generic letters ({@code g}, {@code a}, {@code x}, {@code A}...), and
 * {@link #render(Leaves)} lets a reader put its own text for the upstream gradient, the inputs
 * and the per-call parameters (course notation: {@code dZ[1] · A[0]ᵀ}; traced numbers).
 * {@link #withUnitUpstream()} is the local derivative (the upstream gradient set to 1).
 */
public sealed interface Formula {
    /** The upstream gradient {@code ∂L/∂out}: {@code g}, or {@code G} for matrix products. */
    record Upstream(String letter) implements Formula {
    }

    /** Input {@code index} of the operation, written {@code letter} in the plain formula. */
    record Input(int index, String letter) implements Formula {
    }

    /** A per-call parameter of the operation (a constant, a shape, a range), rendered from the node. */
    record Param(Quantity quantity) implements Formula {
    }

    /** Literal text: symbols and words between the other parts. */
    record Text(String text) implements Formula {
    }

    /** The number 1 (what the upstream gradient becomes in a local derivative). */
    record One() implements Formula {
    }

    /** A product of factors written with {@code separator} between them ({@code " · "} or {@code "·"}). */
    record Product(List<Formula> factors, String separator) implements Formula {
    }

    /** {@code numerator / denominator}. */
    record Quotient(Formula numerator, Formula denominator) implements Formula {
    }

    /** {@code −operand}. */
    record Negation(Formula operand) implements Formula {
    }

    /** {@code operandᵀ}. */
    record Transpose(Formula operand) implements Formula {
    }

    /** {@code function(argument)}, e.g. {@code exp(x)}, {@code σ(z)}. */
    record Apply(String function, Formula argument) implements Formula {
    }

    /** {@code (operand)}. */
    record Group(Formula operand) implements Formula {
    }

    /** Parts written one after the other. */
    record Sequence(List<Formula> parts) implements Formula {
    }

    /**
     * The upstream gradient moved without arithmetic ({@code g reshaped to (2, 3)}, {@code g[0:1, 0:2]},
     * {@code g summed back to (3, 1)}): its local derivative is 1.
     */
    record Moved(Formula upstream, Formula how) implements Formula {
    }

    /** The per-call parameters a {@link Param} can stand for. */
    enum Quantity {
        /** The operation's constant: the {@code c} of {@code x + c} and {@code c · x}, the exponent, the slope. */
        CONSTANT,
        /** The constant minus one (the exponent of a power's derivative). */
        CONSTANT_MINUS_ONE,
        /** The shape of the input. */
        INPUT_SHAPE,
        /** The first row a slice starts at. */
        FIRST_ROW,
        /** The first column a slice starts at. */
        FIRST_COLUMN,
        /** The rows and columns a padded input occupies, {@code [0:1, 0:2]}. */
        PADDED_RANGE,
        /** The rows or columns a concatenated part occupies, {@code [0:2, :]}. */
        PART_RANGE
    }

    /** What a reader puts for the leaves of a formula. */
    interface Leaves {
        String upstream(Upstream u);

        String input(Input x);

        String param(Param p);
    }

    // ------------------------------------------------------------------ building (package-private)

    static Upstream g() {
        return new Upstream("g");
    }

    static Input in(int index, String letter) {
        return new Input(index, letter);
    }

    static Text text(String t) {
        return new Text(t);
    }

    static Param param(Quantity q) {
        return new Param(q);
    }

    static Product times(Formula... factors) {
        return new Product(List.of(factors), " · ");
    }

    static Sequence seq(Object... parts) {
        List<Formula> list = new ArrayList<>();
        for (Object p : parts) {
            list.add(p instanceof String s ? new Text(s) : (Formula) p);
        }
        return new Sequence(List.copyOf(list));
    }

    // ------------------------------------------------------------------ rendering

    /** The formula with its generic letters; parameters as {@code leaves} renders them. */
    default String render(Leaves leaves) {
        if (this instanceof Upstream u) {
            return leaves.upstream(u);
        } else if (this instanceof Input x) {
            return leaves.input(x);
        } else if (this instanceof Param p) {
            return leaves.param(p);
        } else if (this instanceof Text t) {
            return t.text();
        } else if (this instanceof One) {
            return "1";
        } else if (this instanceof Product p) {
            StringBuilder b = new StringBuilder();
            for (Formula f : p.factors()) {
                b.append(b.length() > 0 ? p.separator() : "").append(f.render(leaves));
            }
            return b.toString();
        } else if (this instanceof Quotient q) {
            return q.numerator().render(leaves) + " / " + q.denominator().render(leaves);
        } else if (this instanceof Negation n) {
            return "−" + n.operand().render(leaves);
        } else if (this instanceof Transpose t) {
            return t.operand().render(leaves) + "ᵀ";
        } else if (this instanceof Apply a) {
            return a.function() + "(" + a.argument().render(leaves) + ")";
        } else if (this instanceof Group g) {
            return "(" + g.operand().render(leaves) + ")";
        } else if (this instanceof Sequence s) {
            StringBuilder b = new StringBuilder();
            for (Formula f : s.parts()) {
                b.append(f.render(leaves));
            }
            return b.toString();
        } else {
            Moved m = (Moved) this;
            return m.upstream().render(leaves) + m.how().render(leaves);
        }
    }

    /** The formula with its generic letters and parameters written as their names ({@code CONSTANT}). */
    default String plain() {
        return render(new Leaves() {
            @Override
            public String upstream(Upstream u) {
                return u.letter();
            }

            @Override
            public String input(Input x) {
                return x.letter();
            }

            @Override
            public String param(Param p) {
                return p.quantity().name();
            }
        });
    }

    /**
     * The local derivative: this formula with the upstream gradient set to 1 and the factors of 1
     * dropped ({@code g · b} → {@code b}, {@code −g · z} → {@code −z}, {@code G · Bᵀ} → {@code Bᵀ},
     * {@code g / x} → {@code 1 / x}); a gradient that is only moved ({@code gᵀ}, {@code g[0:1, 0:1]})
     * becomes 1, and parentheses around the whole result are dropped.
     */
    default Formula withUnitUpstream() {
        Formula f = unit(this);
        return f instanceof Group g ? g.operand() : f;
    }

    private static Formula unit(Formula f) {
        if (f instanceof Upstream || f instanceof Moved) {
            return new One();
        } else if (f instanceof Product p) {
            List<Formula> kept = new ArrayList<>();
            for (Formula x : p.factors()) {
                Formula u = unit(x);
                if (!(u instanceof One)) {
                    kept.add(u);
                }
            }
            return kept.isEmpty() ? new One() : kept.size() == 1 ? kept.get(0) : new Product(List.copyOf(kept), p.separator());
        } else if (f instanceof Quotient q) {
            return new Quotient(unit(q.numerator()), unit(q.denominator()));
        } else if (f instanceof Negation n) {
            Formula u = unit(n.operand());
            return new Negation(u instanceof One || u instanceof Input || u instanceof Group ? u : new Group(u));
        } else if (f instanceof Transpose t) {
            Formula u = unit(t.operand());
            return u instanceof One ? u : new Transpose(u);
        } else if (f instanceof Apply a) {
            return new Apply(a.function(), unit(a.argument()));
        } else if (f instanceof Group g) {
            return new Group(unit(g.operand()));
        } else if (f instanceof Sequence s) {
            List<Formula> parts = new ArrayList<>();
            for (Formula x : s.parts()) {
                parts.add(unit(x));
            }
            return new Sequence(List.copyOf(parts));
        }
        return f;
    }
}
