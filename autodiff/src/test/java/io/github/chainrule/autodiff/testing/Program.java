package io.github.chainrule.autodiff.testing;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.autodiff.testing.ProgramOps.Info;
import io.github.chainrule.autodiff.testing.ProgramOps.Instance;
import io.github.chainrule.autodiff.testing.ProgramOps.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A small straight-line program over the op table, as data: leaves {@code x0, x1, ...} with
 * shapes and values, then steps {@code v1, v2, ...}, each an op of {@link ProgramOps} applied to
 * earlier values by index. Its result is the last step's value, plus the sum of every step no
 * later step used (so that every step reaches the output). {@link #toJava()} prints it as code a
 * reader can paste into a test.
 *
 * @param leaves     the leaves' shapes
 * @param positive   per leaf, whether its values were drawn positive (for the listing only)
 * @param values     the leaves' values, row-major
 * @param steps      the steps in order
 */
public record Program(List<Shape> leaves, List<Boolean> positive, List<double[]> values, List<Step> steps) {

    /** One step: an op applied to earlier values (indices into leaves followed by steps). */
    public record Step(Op op, List<Integer> operands, Instance instance) {
    }

    /** The value indices no step uses, other than the last step and the leaves: folded into the output. */
    List<Integer> unused() {
        int leafCount = leaves.size(), total = leafCount + steps.size();
        boolean[] used = new boolean[total];
        for (Step s : steps) {
            s.operands().forEach(i -> used[i] = true);
        }
        return IntStream.range(leafCount, total - 1).filter(i -> !used[i]).boxed().collect(Collectors.toList());
    }

    /** Runs the program on {@code xs} (one tensor per leaf). */
    public Tensor evaluate(List<Tensor> xs) {
        List<Tensor> v = new ArrayList<>(xs);
        for (Step s : steps) {
            v.add(s.instance().fn().apply(operands(s, v)));
        }
        Tensor out = v.get(v.size() - 1);
        for (int i : unused()) {
            out = out.add(v.get(i).sum());
        }
        return out;
    }

    private static List<Tensor> operands(Step s, List<Tensor> v) {
        return s.operands().stream().map(v::get).collect(Collectors.toList());
    }

    /** The leaves as tensors. */
    public List<Tensor> inputs() {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            xs.add(Tensor.fromRowMajor(leaves.get(i).rows(), leaves.get(i).cols(), values.get(i)).named("x" + i));
        }
        return xs;
    }

    /** How close the drawn values bring a kink op (relu, abs, maximum, max...) to its kink; +∞ for none. */
    public double kinkMargin() {
        double margin = Double.POSITIVE_INFINITY;
        try (Grad.Scope off = Grad.disabled()) {
            List<Tensor> v = new ArrayList<>(inputs());
            for (Step s : steps) {
                List<Tensor> in = operands(s, v);
                margin = Math.min(margin, s.instance().margin().applyAsDouble(in));
                v.add(s.instance().fn().apply(in));
            }
        }
        return margin;
    }

    /** Whether some step's value is used twice or more (by two steps, or twice by one). */
    public boolean reusesAnIntermediate() {
        int[] uses = new int[leaves.size() + steps.size()];
        steps.forEach(s -> s.operands().forEach(i -> uses[i]++));
        return IntStream.range(leaves.size(), uses.length).anyMatch(i -> uses[i] >= 2);
    }

    /** Whether some binary step combines operands of different shapes (or a step expands). */
    public boolean broadcasts() {
        List<Shape> shapes = new ArrayList<>(leaves);
        steps.forEach(s -> shapes.add(s.instance().out().shape()));
        return steps.stream().anyMatch(s -> s.op().name().equals("expand") || s.op().arity() == 2
                && !s.op().structural() && !s.op().name().startsWith("matmul")
                && !shapes.get(s.operands().get(0)).equals(shapes.get(s.operands().get(1))));
    }

    /** Whether some step is structural (slice, gather, concatenation, reshape, transpose, expand, sumTo). */
    public boolean hasStructuralStep() {
        return steps.stream().anyMatch(s -> s.op().structural());
    }

    /** The Java name of value {@code i}: {@code x0, x1, ...} for leaves, {@code v1, v2, ...} for steps. */
    public String name(int i) {
        return i < leaves.size() ? "x" + i : "v" + (i - leaves.size() + 1);
    }

    /** The program as Java code: the function, its inputs, and the two checks the property runs. */
    public String toJava() {
        StringBuilder b = new StringBuilder();
        b.append("// ").append(steps.size()).append(" steps over ").append(leaves.size()).append(" inputs\n");
        b.append("Function<List<Tensor>, Tensor> program = xs -> {\n");
        b.append("    Tensor ").append(IntStream.range(0, leaves.size()).mapToObj(i -> "x" + i + " = xs.get(" + i + ")")
                .collect(Collectors.joining(", "))).append(";\n");
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            String expr = s.instance().java().apply(s.operands().stream().map(this::name).collect(Collectors.toList()));
            Info o = s.instance().out();
            b.append("    Tensor ").append(name(leaves.size() + k)).append(" = ").append(expr).append(";")
                    .append("   // ").append(s.op().name()).append(", ").append(o.shape()).append("\n");
        }
        String out = name(leaves.size() + steps.size() - 1);
        for (int i : unused()) {
            out = out + ".add(" + name(i) + ".sum())";
        }
        b.append("    return ").append(out).append(";\n};\n");
        b.append("Tensor[] inputs = {\n");
        for (int i = 0; i < leaves.size(); i++) {
            Shape s = leaves.get(i);
            b.append("        Tensor.fromRowMajor(").append(s.rows()).append(", ").append(s.cols()).append(", new double[] {")
                    .append(java.util.Arrays.stream(values.get(i)).mapToObj(Double::toString).collect(Collectors.joining(", ")))
                    .append("})").append(i + 1 < leaves.size() ? "," : "").append("   // x").append(i)
                    .append(positive.get(i) ? ", positive" : "").append("\n");
        }
        b.append("};\n");
        b.append("GradCheck.of(program, inputs).assertPassed();                                // first order\n");
        b.append("GradCheck.of(GradientProperty.gradientOf(program), inputs).assertPassed();   // second order\n");
        return b.toString();
    }

    @Override
    public String toString() {
        return "\n" + toJava();
    }
}
