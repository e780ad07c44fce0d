package io.github.chainrule.autodiff.testing;

import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The vocabulary of {@link RandomPrograms}: each op is a row of {@link AutodiffOps#TABLE} (named
 * by {@link Op#row()}, which a test checks) made composable. An op is instantiated for concrete
 * operands: it says whether it applies to their shapes and value bounds, what it computes, how
 * it prints as Java, and how far its operands are from a kink (relu at 0, a tie of maximum).
 *
 * <p>Domains are kept by construction, not by tolerances: every value carries conservative
 * bounds {@code [lo, hi]} (interval arithmetic from the leaves' domains), and an op whose domain
 * the bounds do not guarantee (log needs {@code lo ≥ 0.1}, exp {@code hi ≤ 2}, a divisor
 * {@code |·| ≥ 0.25}) is simply not drawn for that operand. Kinks cannot be excluded by bounds,
 * so the property skips a drawn case whose kink operands come within {@link #KINK_MARGIN} of a
 * kink. All values stay within {@code ±}{@link #BOUND}.
 */
public final class ProgramOps {
    /** Every intermediate value stays within ±BOUND. */
    public static final double BOUND = 8;
    /** A case is skipped when an operand of relu/abs/maximum/max... is this close to its kink. */
    public static final double KINK_MARGIN = 0.01;
    /** The largest axis and element count a value may have. */
    static final int MAX_AXIS = 6;
    static final int MAX_SIZE = 24;

    private ProgramOps() {
    }

    /** What the program knows about a value before running it: its shape and bounds on its elements. */
    public record Info(Shape shape, double lo, double hi) {
        double abs() {
            return Math.max(Math.abs(lo), Math.abs(hi));
        }

        @Override
        public String toString() {
            return shape + " in [" + lo + ", " + hi + "]";
        }
    }

    /** An op applied to concrete operands: its result's info, the function, its Java text and its kink margin. */
    public record Instance(Info out, Function<List<Tensor>, Tensor> fn, Function<List<String>, String> java,
            ToDoubleFunction<List<Tensor>> margin) {
    }

    /** One op of the vocabulary. */
    public interface Op {
        /** The name shown in statistics. */
        String name();

        /** The op-table row this op exercises. */
        String row();

        int arity();

        /** Whether it only moves elements (slices, gathers, concatenation, reshape, transpose, broadcasting). */
        boolean structural();

        /** The op on operands with these infos and parameter {@code p}, or null where it does not apply. */
        Instance instantiate(List<Info> in, int p);
    }

    private static final ToDoubleFunction<List<Tensor>> SMOOTH = x -> Double.POSITIVE_INFINITY;

    /** Ops that compute (elementwise, reductions, matrix products, fused losses). */
    public static final List<Op> ARITHMETIC = arithmetic();
    /** Ops that move elements. */
    public static final List<Op> STRUCTURAL = structural();

    // ------------------------------------------------------------------ helpers

    private record SimpleOp(String name, String row, int arity, boolean structural,
            java.util.function.BiFunction<List<Info>, Integer, Instance> make) implements Op {
        @Override
        public Instance instantiate(List<Info> in, int p) {
            Instance i = make.apply(in, p);
            if (i == null) {
                return null;
            }
            Info o = i.out();
            boolean fits = o.shape().rows() <= MAX_AXIS && o.shape().cols() <= MAX_AXIS && o.shape().size() <= MAX_SIZE
                    && o.lo() >= -BOUND && o.hi() <= BOUND && o.lo() <= o.hi();
            return fits ? i : null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The result shape, found by running {@code fn} on probe tensors (null if the shapes do not fit). */
    static Shape probe(Function<List<Tensor>, Tensor> fn, List<Info> in) {
        List<Tensor> xs = new ArrayList<>();
        for (Info i : in) {
            xs.add(Tensor.full(i.shape().rows(), i.shape().cols(), 0.5));
        }
        try (Grad.Scope s = Grad.disabled()) {
            return fn.apply(xs).shape();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Instance instance(List<Info> in, Function<List<Tensor>, Tensor> fn, double lo, double hi,
            Function<List<String>, String> java, ToDoubleFunction<List<Tensor>> margin) {
        Shape s = probe(fn, in);
        return s == null ? null : new Instance(new Info(s, lo, hi), fn, java, margin);
    }

    /** Range of f on [lo, hi] for f monotone on each side of 0. */
    static double[] range(DoubleUnaryOperator f, double lo, double hi) {
        double a = f.applyAsDouble(lo), b = f.applyAsDouble(hi);
        double min = Math.min(a, b), max = Math.max(a, b);
        if (lo < 0 && hi > 0) {
            double z = f.applyAsDouble(0);
            min = Math.min(min, z);
            max = Math.max(max, z);
        }
        return new double[] {min, max};
    }

    /** Minimum |x| over the elements: the distance of a unary kink op's operand from its kink at 0. */
    static double awayFromZero(List<Tensor> x) {
        return Arrays.stream(x.get(0).toRowMajorArray()).map(Math::abs).min().orElse(Double.POSITIVE_INFINITY);
    }

    private static Op unary(String row, String suffix, UnaryOperator<Tensor> f, DoubleUnaryOperator scalar,
            double minLo, double maxHi, boolean kink) {
        return new SimpleOp(row, row, 1, false, (in, p) -> {
            Info x = in.get(0);
            if (x.lo() < minLo || x.hi() > maxHi) {
                return null;
            }
            double[] r = range(scalar, x.lo(), x.hi());
            return instance(in, xs -> f.apply(xs.get(0)), r[0], r[1], n -> n.get(0) + suffix,
                    kink ? ProgramOps::awayFromZero : SMOOTH);
        });
    }

    private static double[] products(Info a, Info b) {
        double[] c = {a.lo() * b.lo(), a.lo() * b.hi(), a.hi() * b.lo(), a.hi() * b.hi()};
        return new double[] {Arrays.stream(c).min().getAsDouble(), Arrays.stream(c).max().getAsDouble()};
    }

    private interface Bounds {
        double[] of(Info a, Info b);
    }

    private static Op binary(String row, String method, BinaryOperator<Tensor> f, Bounds bounds,
            ToDoubleFunction<List<Tensor>> margin) {
        return new SimpleOp(row, row, 2, false, (in, p) -> {
            double[] r = bounds.of(in.get(0), in.get(1));
            return r == null ? null : instance(in, xs -> f.apply(xs.get(0), xs.get(1)), r[0], r[1],
                    n -> n.get(0) + "." + method + "(" + n.get(1) + ")", margin);
        });
    }

    /** The smallest |a − b| over broadcast elements: how far maximum/minimum are from a tie. */
    static double gap(List<Tensor> x) {
        Tensor a = x.get(0), b = x.get(1);
        int rows = Math.max(a.rows(), b.rows()), cols = Math.max(a.cols(), b.cols());
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double d = a.get(a.rows() == 1 ? 0 : i, a.cols() == 1 ? 0 : j)
                        - b.get(b.rows() == 1 ? 0 : i, b.cols() == 1 ? 0 : j);
                min = Math.min(min, Math.abs(d));
            }
        }
        return min;
    }

    /** The smallest gap between the largest and second largest element along {@code axis}: how far max is from a tie. */
    static double maxGap(Tensor x, int axis) {
        double min = Double.POSITIVE_INFINITY;
        int outer = axis == 0 ? x.cols() : x.rows(), inner = axis == 0 ? x.rows() : x.cols();
        for (int o = 0; o < outer; o++) {
            double[] v = new double[inner];
            for (int k = 0; k < inner; k++) {
                v[k] = axis == 0 ? x.get(k, o) : x.get(o, k);
            }
            Arrays.sort(v);
            if (inner > 1) {
                min = Math.min(min, v[inner - 1] - v[inner - 2]);
            }
        }
        return min;
    }

    // ------------------------------------------------------------------ the vocabulary

    private static List<Op> arithmetic() {
        List<Op> t = new ArrayList<>();
        double inf = Double.POSITIVE_INFINITY;
        // binary, broadcasting
        t.add(binary("add", "add", Tensor::add, (a, b) -> new double[] {a.lo() + b.lo(), a.hi() + b.hi()}, SMOOTH));
        t.add(binary("mul", "mul", Tensor::mul, ProgramOps::products, SMOOTH));
        t.add(binary("sub", "sub", Tensor::sub, (a, b) -> new double[] {a.lo() - b.hi(), a.hi() - b.lo()}, SMOOTH));
        t.add(binary("div", "div", Tensor::div, (a, b) -> b.lo() >= 0.25
                ? products(a, new Info(b.shape(), 1 / b.hi(), 1 / b.lo())) : null, SMOOTH));
        t.add(binary("maximum", "maximum", Tensor::maximum,
                (a, b) -> new double[] {Math.max(a.lo(), b.lo()), Math.max(a.hi(), b.hi())}, ProgramOps::gap));
        t.add(binary("minimum", "minimum", Tensor::minimum,
                (a, b) -> new double[] {Math.min(a.lo(), b.lo()), Math.min(a.hi(), b.hi())}, ProgramOps::gap));
        t.add(binary("pow tensor exponent", "pow", Tensor::pow, (a, b) -> {
            if (a.lo() < 0.2) {
                return null;
            }
            double[] e = products(b, new Info(a.shape(), Math.log(a.lo()), Math.log(a.hi())));
            return e[1] > 2 ? null : new double[] {Math.exp(e[0]), Math.exp(e[1])};
        }, SMOOTH));
        t.add(binary("sigmoidCrossEntropyWithLogits", "sigmoidCrossEntropyWithLogits",
                Tensor::sigmoidCrossEntropyWithLogits, (z, y) -> {
                    double m = z.abs() * (1 + y.abs()) + Math.log(2);
                    return new double[] {-m, m};
                }, SMOOTH));
        // probabilities by construction: a sigmoid first unless the operand is already inside [0.02, 0.98]
        t.add(new SimpleOp("binaryCrossEntropy", "binaryCrossEntropy", 2, false, (in, p) -> {
            Info x = in.get(0), y = in.get(1);
            boolean probabilities = x.lo() >= 0.02 && x.hi() <= 0.98;
            if (!probabilities && x.abs() > 3.8) {
                return null;
            }
            double m = (y.abs() + Math.max(Math.abs(1 - y.lo()), Math.abs(1 - y.hi()))) * -Math.log(0.02);
            String sigmoid = probabilities ? "" : ".sigmoid()";
            return instance(in, xs -> (probabilities ? xs.get(0) : xs.get(0).sigmoid()).binaryCrossEntropy(xs.get(1)),
                    -m, m, v -> v.get(0) + sigmoid + ".binaryCrossEntropy(" + v.get(1) + ")", SMOOTH);
        }));
        t.add(new SimpleOp("softmaxCrossEntropyWithLogits", "softmaxCrossEntropyWithLogits", 2, false, (in, p) -> {
            Info z = in.get(0), y = in.get(1);
            if (!z.shape().equals(y.shape())) {
                return null;
            }
            int k = z.shape().rows();
            double m = k * y.abs() * (2 * z.abs() + Math.log(k));
            return instance(in, xs -> xs.get(0).softmaxCrossEntropyWithLogits(xs.get(1)), -m, m,
                    n -> n.get(0) + ".softmaxCrossEntropyWithLogits(" + n.get(1) + ")", SMOOTH);
        }));
        // matrix products
        t.add(new SimpleOp("matmul", "matmul", 2, false, (in, p) -> {
            Info a = in.get(0), b = in.get(1);
            double[] r = products(a, b);
            int k = a.shape().cols();
            return instance(in, xs -> xs.get(0).matmul(xs.get(1)), k * r[0], k * r[1],
                    n -> n.get(0) + ".matmul(" + n.get(1) + ")", SMOOTH);
        }));
        t.add(new SimpleOp("matmul Aᵀ·B", "matmul Aᵀ·B", 2, false, (in, p) -> {
            Info a = in.get(0), b = in.get(1);
            double[] r = products(a, b);
            int k = a.shape().rows();
            return instance(in, xs -> xs.get(0).transpose().matmul(xs.get(1)), k * r[0], k * r[1],
                    n -> n.get(0) + ".transpose().matmul(" + n.get(1) + ")", SMOOTH);
        }));
        // unary elementwise: table rows and their constants
        t.add(unary("neg", ".neg()", Tensor::neg, v -> -v, -inf, inf, false));
        t.add(unary("exp", ".exp()", Tensor::exp, Math::exp, -inf, 2, false));
        t.add(unary("log", ".log()", Tensor::log, Math::log, 0.1, inf, false));
        t.add(unary("sqrt", ".sqrt()", Tensor::sqrt, Math::sqrt, 0.1, inf, false));
        t.add(unary("tanh", ".tanh()", Tensor::tanh, Math::tanh, -inf, inf, false));
        t.add(unary("sigmoid", ".sigmoid()", Tensor::sigmoid, v -> 1 / (1 + Math.exp(-v)), -inf, inf, false));
        t.add(unary("relu", ".relu()", Tensor::relu, v -> Math.max(v, 0), -inf, inf, true));
        t.add(unary("leakyRelu 0.3", ".leakyRelu(0.3)", x -> x.leakyRelu(0.3), v -> v > 0 ? v : 0.3 * v, -inf, inf, true));
        t.add(unary("elu 1", ".elu(1.0)", x -> x.elu(1.0), v -> v > 0 ? v : Math.expm1(v), -inf, inf, true));
        t.add(unary("abs", ".abs()", Tensor::abs, Math::abs, -inf, inf, true));
        t.add(unary("pow 2", ".pow(2)", x -> x.pow(2), v -> v * v, -inf, inf, false));
        t.add(unary("pow 3", ".pow(3)", x -> x.pow(3), v -> v * v * v, -inf, inf, false));
        t.add(unary("pow -1", ".pow(-1)", x -> x.pow(-1), v -> 1 / v, 0.25, inf, false));
        t.add(unary("pow 2.5", ".pow(2.5)", x -> x.pow(2.5), v -> Math.pow(v, 2.5), 0.1, inf, false));
        t.add(unary("add scalar", ".add(0.7)", x -> x.add(0.7), v -> v + 0.7, -inf, inf, false));
        t.add(unary("sub scalar", ".sub(1.3)", x -> x.sub(1.3), v -> v - 1.3, -inf, inf, false));
        t.add(unary("mul scalar", ".mul(-2.5)", x -> x.mul(-2.5), v -> -2.5 * v, -inf, inf, false));
        t.add(unary("div scalar", ".div(4.0)", x -> x.div(4.0), v -> v / 4, -inf, inf, false));
        // reductions
        t.add(new SimpleOp("sum", "sum", 1, false, (in, p) -> {
            Info x = in.get(0);
            int n = x.shape().size();
            return instance(in, xs -> xs.get(0).sum(), n * x.lo(), n * x.hi(), v -> v.get(0) + ".sum()", SMOOTH);
        }));
        t.add(new SimpleOp("mean", "mean", 1, false,
                (in, p) -> instance(in, xs -> xs.get(0).mean(), in.get(0).lo(), in.get(0).hi(), v -> v.get(0) + ".mean()",
                        SMOOTH)));
        t.add(new SimpleOp("sum axis", "sum axis 0", 1, false, (in, p) -> {
            Info x = in.get(0);
            int axis = p % 2;
            boolean keep = p / 2 % 2 == 0;
            int n = x.shape().size(axis);
            return instance(in, xs -> xs.get(0).sum(axis, keep), n * x.lo(), n * x.hi(),
                    v -> v.get(0) + ".sum(" + axis + ", " + keep + ")", SMOOTH);
        }));
        t.add(new SimpleOp("mean axis", "mean axis 0", 1, false, (in, p) -> {
            int axis = p % 2;
            boolean keep = p / 2 % 2 == 0;
            return instance(in, xs -> xs.get(0).mean(axis, keep), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".mean(" + axis + ", " + keep + ")", SMOOTH);
        }));
        t.add(new SimpleOp("max axis", "max axis 0", 1, false, (in, p) -> {
            int axis = p % 2;
            boolean keep = p / 2 % 2 == 0;
            return instance(in, xs -> xs.get(0).max(axis, keep), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".max(" + axis + ", " + keep + ")", xs -> maxGap(xs.get(0), axis));
        }));
        t.add(new SimpleOp("logSumExp axis", "logSumExp axis 0", 1, false, (in, p) -> {
            Info x = in.get(0);
            int axis = p % 2;
            boolean keep = p / 2 % 2 == 0;
            return instance(in, xs -> xs.get(0).logSumExp(axis, keep), x.lo(), x.hi() + Math.log(x.shape().size(axis)),
                    v -> v.get(0) + ".logSumExp(" + axis + ", " + keep + ")", SMOOTH);
        }));
        t.add(new SimpleOp("softmax axis", "softmax axis 0", 1, false, (in, p) -> {
            Info x = in.get(0);
            int axis = p % 2, n = x.shape().size(axis);
            double spread = x.hi() - x.lo();
            return instance(in, xs -> xs.get(0).softmax(axis), 1 / (1 + (n - 1) * Math.exp(spread)),
                    1 / (1 + (n - 1) * Math.exp(-spread)), v -> v.get(0) + ".softmax(" + axis + ")", SMOOTH);
        }));
        t.add(new SimpleOp("logSoftmax axis", "logSoftmax axis 0", 1, false, (in, p) -> {
            Info x = in.get(0);
            int axis = p % 2, n = x.shape().size(axis);
            return instance(in, xs -> xs.get(0).logSoftmax(axis), -(x.hi() - x.lo()) - Math.log(n), 0,
                    v -> v.get(0) + ".logSoftmax(" + axis + ")", SMOOTH);
        }));
        return List.copyOf(t);
    }

    private static List<Op> structural() {
        List<Op> t = new ArrayList<>();
        t.add(new SimpleOp("transpose", "transpose", 1, true, (in, p) -> instance(in, xs -> xs.get(0).transpose(),
                in.get(0).lo(), in.get(0).hi(), v -> v.get(0) + ".transpose()", SMOOTH)));
        t.add(new SimpleOp("rows slice", "rows slice", 1, true, (in, p) -> {
            int rows = in.get(0).shape().rows();
            if (rows < 2) {
                return null;
            }
            int from = p % rows, to = from + 1 + p / 7 % (rows - from);
            return instance(in, xs -> xs.get(0).rows(from, to), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".rows(" + from + ", " + to + ")", SMOOTH);
        }));
        t.add(new SimpleOp("cols slice", "cols slice", 1, true, (in, p) -> {
            int cols = in.get(0).shape().cols();
            if (cols < 2) {
                return null;
            }
            int from = p % cols, to = from + 1 + p / 7 % (cols - from);
            return instance(in, xs -> xs.get(0).cols(from, to), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".cols(" + from + ", " + to + ")", SMOOTH);
        }));
        t.add(new SimpleOp("selectColumns", "selectColumns", 1, true, (in, p) -> {
            int cols = in.get(0).shape().cols(), n = 1 + p % 4;
            int[] idx = new int[n];
            for (int j = 0; j < n; j++) {
                idx[j] = (p / 4 + j * (1 + p / 16 % 3)) % cols;
            }
            String list = Arrays.toString(idx).replaceAll("[\\[\\]]", "");
            return instance(in, xs -> xs.get(0).selectColumns(idx), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".selectColumns(" + list + ")", SMOOTH);
        }));
        t.add(new SimpleOp("concat axis 0", "concat axis 0", 2, true, (in, p) -> instance(in,
                xs -> Tensor.concat(0, xs.get(0), xs.get(1)), Math.min(in.get(0).lo(), in.get(1).lo()),
                Math.max(in.get(0).hi(), in.get(1).hi()), v -> "Tensor.concat(0, " + v.get(0) + ", " + v.get(1) + ")",
                SMOOTH)));
        t.add(new SimpleOp("concat axis 1", "concat axis 1", 2, true, (in, p) -> instance(in,
                xs -> Tensor.concat(1, xs.get(0), xs.get(1)), Math.min(in.get(0).lo(), in.get(1).lo()),
                Math.max(in.get(0).hi(), in.get(1).hi()), v -> "Tensor.concat(1, " + v.get(0) + ", " + v.get(1) + ")",
                SMOOTH)));
        t.add(new SimpleOp("reshape", "reshape", 1, true, (in, p) -> {
            Shape s = in.get(0).shape();
            boolean toRow = p % 2 == 1;
            int r = toRow ? 1 : s.cols(), c = toRow ? s.size() : s.rows();
            return instance(in, xs -> xs.get(0).reshape(r, c), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".reshape(" + r + ", " + c + ")", SMOOTH);
        }));
        t.add(new SimpleOp("expand", "expand", 1, true, (in, p) -> {
            Shape s = in.get(0).shape();
            if (s.rows() != 1 && s.cols() != 1) {
                return null;
            }
            int r = s.rows() == 1 ? 2 + p % 3 : s.rows(), c = s.cols() == 1 ? 2 + p / 3 % 3 : s.cols();
            return instance(in, xs -> xs.get(0).expand(Shape.of(r, c)), in.get(0).lo(), in.get(0).hi(),
                    v -> v.get(0) + ".expand(Shape.of(" + r + ", " + c + "))", SMOOTH);
        }));
        t.add(new SimpleOp("sumTo", "sumTo column", 1, true, (in, p) -> {
            Info x = in.get(0);
            Shape s = x.shape();
            Shape to = p % 3 == 0 ? Shape.of(s.rows(), 1) : p % 3 == 1 ? Shape.of(1, s.cols()) : Shape.SCALAR;
            int n = s.size() / to.size();
            return instance(in, xs -> xs.get(0).sumTo(to), n * x.lo(), n * x.hi(),
                    v -> v.get(0) + ".sumTo(Shape.of(" + to.rows() + ", " + to.cols() + "))", SMOOTH);
        }));
        return List.copyOf(t);
    }
}
