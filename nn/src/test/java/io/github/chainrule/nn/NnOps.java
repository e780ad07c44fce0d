package io.github.chainrule.nn;

import static io.github.chainrule.autodiff.testing.OpEntry.op;
import static io.github.chainrule.autodiff.testing.OpEntry.unary;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.autodiff.testing.Domain;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.ShapeRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The op table of the nn module: every public static function of {@link Activations},
 * {@link Functional}, {@link Losses} and {@link Costs} that returns a tensor has a row, and
 * every {@link Activation} constant a dense row (checked by {@code NnOpTableGradientTest}). Labels and dropout masks are data, not
 * variables: rows build them deterministically from the drawn shape. Domains keep kinks
 * (relu at 0, maxout ties) out of reach of the finite differences.
 */
public final class NnOps {
    private NnOps() {
    }

    /**
     * Every {@code public static final Activation} constant of {@link Activation}, by field name: the
     * one list both the dense rows below and {@code NnOpTableGradientTest} read, so a new constant
     * gets a row (and a gradient check) without anyone editing a list.
     */
    public static final Map<String, Activation> ACTIVATIONS = activationConstants();

    public static final List<OpEntry> TABLE = build();

    private static Map<String, Activation> activationConstants() {
        Map<String, Activation> m = new TreeMap<>();
        for (Field f : Activation.class.getFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && f.getType() == Activation.class) {
                try {
                    m.put(f.getName(), (Activation) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read Activation." + f.getName(), e);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Binary labels in {0, 1} for a shape, with both values present when there are two or more entries. */
    static Tensor binaryLabels(Shape s) {
        double[] y = new double[s.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 5 + 1) % 3 == 0 ? 1 : 0;
        }
        y[0] = 1;
        return Tensor.fromRowMajor(s.rows(), s.cols(), y);
    }

    /** Integer class labels, one per column, for {@code classes} rows. */
    static int[] classLabels(int classes, int m) {
        int[] c = new int[m];
        for (int j = 0; j < m; j++) {
            c[j] = (2 * j + 1) % classes;
        }
        return c;
    }

    /** A seeded 0/1 dropout mask for a shape. */
    static Tensor mask(Shape s) {
        return Dropout.mask(s.rows(), s.cols(), 0.6, new NumpyRandom(s.rows() * 10 + s.cols()));
    }

    /** A model holding the operands as parameters: W at top level, b, and a child's W. */
    static final class Holder extends Module {
        Holder(Tensor w1, Tensor b1, Tensor w2) {
            registerWeight("W", w1);
            registerParameter("b", b1);
            registerModule("child", new Leaf(w2));
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    static final class Leaf extends Module {
        Leaf(Tensor w) {
            registerWeight("W", w);
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    private static List<OpEntry> build() {
        List<OpEntry> t = new ArrayList<>();
        // activations
        t.add(unary("sigmoid", Domain.real(), Activations::sigmoid).covers("Activations.sigmoid(Tensor)").build());
        t.add(unary("tanh", Domain.real(), Activations::tanh).covers("Activations.tanh(Tensor)").build());
        t.add(unary("relu", Domain.awayFromZero(), Activations::relu).covers("Activations.relu(Tensor)").build());
        t.add(unary("leakyRelu", Domain.awayFromZero(), Activations::leakyRelu)
                .covers("Activations.leakyRelu(Tensor)").build());
        t.add(unary("leakyRelu 0.2", Domain.awayFromZero(), z -> Activations.leakyRelu(z, 0.2))
                .covers("Activations.leakyRelu(Tensor,double)").build());
        t.add(unary("elu", Domain.awayFromZero(), Activations::elu).covers("Activations.elu(Tensor)").build());
        t.add(unary("elu 0.7", Domain.awayFromZero(), z -> Activations.elu(z, 0.7))
                .covers("Activations.elu(Tensor,double)").build());
        t.add(unary("softmax", Domain.real(), Activations::softmax).covers("Activations.softmax(Tensor)").build());
        t.add(unary("identity", Domain.real(), Activations::identity).covers("Activations.identity(Tensor)").build());

        // layers: inputs A (inner, cols), W (rows, inner), b (rows, 1)
        ShapeRule layer = d -> List.of(Shape.of(d.inner(), d.cols()), Shape.of(d.rows(), d.inner()), Shape.of(d.rows(), 1));
        t.add(op("linear").covers("Functional.linear(Tensor,Tensor,Tensor)").shapes(layer)
                .fn(x -> Functional.linear(x.get(0), x.get(1), x.get(2))).build());
        // |W·A| <= 5 · 0.015 < 0.1 <= |b|: Z stays away from relu's kink
        for (Map.Entry<String, Activation> a : ACTIVATIONS.entrySet()) {
            Activation g = a.getValue();
            t.add(op("dense " + g.name()).covers("Functional.dense(Tensor,Tensor,Tensor,Activation)", "Activation." + a.getKey())
                    .shapes(layer)
                    .domains(Domain.real(1), Domain.real(0.015), Domain.awayFromZero())
                    .fn(x -> Functional.dense(x.get(0), x.get(1), x.get(2), g)).build());
        }
        for (int k = 1; k <= 3; k++) {
            int pieces = k;
            // distinct biases are >= 0.4 apart and |W·A| <= 0.15: no piece ever ties with another
            t.add(op("maxout k=" + k).covers("Functional.maxout(Tensor,Tensor,Tensor,int)")
                    .shapes(d -> List.of(Shape.of(d.inner(), d.cols()), Shape.of(pieces * d.rows(), d.inner()),
                            Shape.of(pieces * d.rows(), 1)))
                    .domains(Domain.real(1), Domain.real(0.03), Domain.distinct())
                    .fn(x -> Functional.maxout(x.get(0), x.get(1), x.get(2), pieces)).build());
        }
        ShapeRule norm = d -> List.of(Shape.of(d.rows(), d.cols()), Shape.of(d.rows(), 1), Shape.of(d.rows(), 1));
        t.add(op("batchNorm").covers("Functional.batchNorm(Tensor,Tensor,Tensor,double)").shapes(norm)
                .domains(Domain.distinct(), Domain.real()).fn(x -> Functional.batchNorm(x.get(0), x.get(1), x.get(2), 1e-5))
                .build());
        t.add(op("batchNorm eps 0.1").shapes(norm).domains(Domain.real(), Domain.real())
                .fn(x -> Functional.batchNorm(x.get(0), x.get(1), x.get(2), 0.1)).build());
        t.add(op("batchNormInference").covers("Functional.batchNormInference(Tensor,Tensor,Tensor,Tensor,Tensor,double)")
                .shapes(d -> List.of(Shape.of(d.rows(), d.cols()), Shape.of(d.rows(), 1), Shape.of(d.rows(), 1),
                        Shape.of(d.rows(), 1), Shape.of(d.rows(), 1)))
                .domains(Domain.real(), Domain.real(), Domain.real(), Domain.real(), Domain.positive())
                .fn(x -> Functional.batchNormInference(x.get(0), x.get(1), x.get(2), x.get(3), x.get(4), 1e-5)).build());
        t.add(unary("dropout fixed mask", Domain.real(), a -> Functional.dropout(a, mask(a.shape()), 0.6))
                .covers("Functional.dropout(Tensor,Tensor,double)").build());

        // losses: outputs are variables, labels are data
        t.add(unary("binaryCrossEntropy", Domain.unitInterval(), a -> Losses.binaryCrossEntropy(a, binaryLabels(a.shape())))
                .covers("Losses.binaryCrossEntropy(Tensor,Tensor)").build());
        t.add(unary("binaryCrossEntropyFromLogits", Domain.real(4),
                z -> Losses.binaryCrossEntropyFromLogits(z, binaryLabels(z.shape())))
                .covers("Losses.binaryCrossEntropyFromLogits(Tensor,Tensor)").build());
        t.add(unary("softmaxCrossEntropyFromLogits one-hot", Domain.real(4),
                z -> Losses.softmaxCrossEntropyFromLogits(z, Losses.oneHot(classLabels(z.rows(), z.cols()), z.rows())))
                .covers("Losses.softmaxCrossEntropyFromLogits(Tensor,Tensor)").build());
        t.add(unary("softmaxCrossEntropyFromLogits integer labels", Domain.real(4),
                z -> Losses.softmaxCrossEntropyFromLogits(z, classLabels(z.rows(), z.cols())))
                .covers("Losses.softmaxCrossEntropyFromLogits(Tensor,int[])").build());
        t.add(op("meanSquaredError").covers("Losses.meanSquaredError(Tensor,Tensor)").shapes(ShapeRule.same(2))
                .fn(x -> Losses.meanSquaredError(x.get(0), x.get(1))).build());
        t.add(op("halfSquaredError").covers("Losses.halfSquaredError(Tensor,Tensor)").shapes(ShapeRule.same(2))
                .fn(x -> Losses.halfSquaredError(x.get(0), x.get(1))).build());

        // L2 regularization
        t.add(op("l2 of weights").covers("Costs.l2(double,int,Tensor[])")
                .shapes(d -> List.of(Shape.of(d.rows(), d.inner()), Shape.of(d.cols(), d.rows())))
                .fn(x -> Costs.l2(0.7, 5, x.get(0), x.get(1))).build());
        t.add(op("l2 of a model's W (not b)").covers("Costs.l2(Module,double,int)")
                .shapes(d -> List.of(Shape.of(d.rows(), d.inner()), Shape.of(d.rows(), 1), Shape.of(d.cols(), d.rows())))
                .fn(x -> Costs.l2(new Holder(x.get(0), x.get(1), x.get(2)), 0.3, 4)).build());

        // compositions: the course's networks end to end, parameters as operands
        t.add(op("2-layer tanh/sigmoid network + cross-entropy")
                .shapes(d -> List.of(Shape.of(d.inner(), d.cols()), Shape.of(d.rows(), d.inner()), Shape.of(d.rows(), 1),
                        Shape.of(1, d.rows()), Shape.of(1, 1)))
                .fn(x -> {
                    Tensor a1 = Functional.dense(x.get(0), x.get(1), x.get(2), Activation.TANH);
                    Tensor a2 = Functional.dense(a1, x.get(3), x.get(4), Activation.SIGMOID);
                    return Losses.binaryCrossEntropy(a2, binaryLabels(a2.shape()));
                }).build());
        t.add(op("batchNorm → tanh → softmax cross-entropy + L2")
                .shapes(d -> List.of(Shape.of(d.rows(), d.cols()), Shape.of(d.rows(), 1), Shape.of(d.rows(), 1),
                        Shape.of(d.inner(), d.rows())))
                .domains(Domain.real(), Domain.real(1))
                .fn(x -> {
                    Tensor h = Activations.tanh(Functional.batchNorm(x.get(0), x.get(1), x.get(2), 0.01));
                    Tensor z = x.get(3).matmul(h);
                    return Losses.softmaxCrossEntropyFromLogits(z, classLabels(z.rows(), z.cols()))
                            .add(Costs.l2(0.1, z.cols(), x.get(3)));
                }).build());
        return List.copyOf(t);
    }
}
