package io.github.chainrule.autodiff.testing;

import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One row of the op table that drives the gradient property tests: a differentiable function
 * of tensors, the shapes and domain of its operands, the tolerance of its check and whether its
 * second derivatives are checked too.
 *
 * @param name        the row's name in reports
 * @param covers      the public methods this row exercises, as {@code "name(ParamType,...)"}
 *                    (e.g. {@code "sum(int,boolean)"}), for readers; nn's completeness test checks
 *                    its rows' names against nn's public functions
 * @param shapes      operand shapes for drawn sizes
 * @param domains     per operand; the last one repeats for further operands
 * @param fn          the function checked
 * @param atol        absolute tolerance
 * @param rtol        relative tolerance
 * @param secondOrder whether second derivatives (grad of grad) are checked as well
 */
public record OpEntry(String name, Set<String> covers, ShapeRule shapes, List<Domain> domains,
        Function<List<Tensor>, Tensor> fn, double atol, double rtol, boolean secondOrder) {

    /** How many operands the row's function takes (the shape rule decides it). */
    public int arity() {
        return shapes.shapes(new Dims(1, 1, 1, 0)).size();
    }

    /** The domain of operand {@code i}. */
    public Domain domain(int i) {
        return domains.get(Math.min(i, domains.size() - 1));
    }

    /** Starts a row named {@code name} (covering the method of the same name with the given signature). */
    public static Builder op(String name) {
        return new Builder(name);
    }

    /** A unary row on any shape: {@code op(name).shapes(unary()).fn(x -> ...)}. */
    public static Builder unary(String name, Domain domain, UnaryOperator<Tensor> f) {
        return op(name).shapes(ShapeRule.unary()).domains(domain).fn(xs -> f.apply(xs.get(0)));
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds an {@link OpEntry}: real domain unless given; atol 1e-5, rtol 1e-3 and second order checked for every row. */
    public static final class Builder {
        private final String name;
        private final List<String> covers = new ArrayList<>();
        private ShapeRule shapes = ShapeRule.unary();
        private List<Domain> domains = List.of(Domain.real());
        private Function<List<Tensor>, Tensor> fn;
        private final double atol = 1e-5;
        private final double rtol = 1e-3;
        private final boolean secondOrder = true;

        private Builder(String name) {
            this.name = name;
        }

        /** The public methods this row exercises, e.g. {@code "add(Tensor)"}. */
        public Builder covers(String... methods) {
            covers.addAll(List.of(methods));
            return this;
        }

        public Builder shapes(ShapeRule rule) {
            this.shapes = rule;
            return this;
        }

        public Builder domains(Domain... perOperand) {
            this.domains = List.of(perOperand);
            return this;
        }

        public Builder fn(Function<List<Tensor>, Tensor> f) {
            this.fn = f;
            return this;
        }

        public OpEntry build() {
            if (fn == null) {
                throw new IllegalStateException("op table row " + name + " has no function");
            }
            return new OpEntry(name, Set.copyOf(covers), shapes, domains, fn, atol, rtol, secondOrder);
        }
    }
}
