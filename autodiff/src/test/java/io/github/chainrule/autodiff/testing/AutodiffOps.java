package io.github.chainrule.autodiff.testing;

import static io.github.chainrule.autodiff.testing.OpEntry.op;
import static io.github.chainrule.autodiff.testing.OpEntry.unary;

import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The op table of the autodiff module: its rows, run once, record every {@code Primitive} and run
 * every {@code Composite} ({@code OpTableGradientTest} checks it against their {@code values()}). Domains keep each op away from points where it
 * is not differentiable (kinks, poles, ties), which {@code TensorTest} covers separately.
 */
public final class AutodiffOps {
    private AutodiffOps() {
    }

    public static final List<OpEntry> TABLE = build();

    private static List<OpEntry> build() {
        List<OpEntry> t = new ArrayList<>();
        // elementwise, broadcasting on both axes
        t.add(op("add").covers("add(Tensor)").shapes(ShapeRule.broadcast(2)).fn(x -> x.get(0).add(x.get(1))).build());
        t.add(op("sub").covers("sub(Tensor)").shapes(ShapeRule.broadcast(2)).fn(x -> x.get(0).sub(x.get(1))).build());
        t.add(op("mul").covers("mul(Tensor)").shapes(ShapeRule.broadcast(2)).fn(x -> x.get(0).mul(x.get(1))).build());
        t.add(op("div").covers("div(Tensor)").shapes(ShapeRule.broadcast(2))
                .domains(Domain.real(), Domain.awayFromZero()).fn(x -> x.get(0).div(x.get(1))).build());
        t.add(op("maximum").covers("maximum(Tensor)").shapes(ShapeRule.broadcast(2))
                .domains(Domain.grid(0.25), Domain.grid(-0.25)).fn(x -> x.get(0).maximum(x.get(1))).build());
        t.add(op("minimum").covers("minimum(Tensor)").shapes(ShapeRule.broadcast(2))
                .domains(Domain.grid(0.25), Domain.grid(-0.25)).fn(x -> x.get(0).minimum(x.get(1))).build());
        t.add(op("pow tensor exponent").covers("pow(Tensor)").shapes(ShapeRule.broadcast(2))
                .domains(Domain.positive(), Domain.real(1.5)).fn(x -> x.get(0).pow(x.get(1))).build());
        // with scalars
        t.add(unary("add scalar", Domain.real(), x -> x.add(0.7)).covers("add(double)").build());
        t.add(unary("sub scalar", Domain.real(), x -> x.sub(1.3)).covers("sub(double)").build());
        t.add(unary("mul scalar", Domain.real(), x -> x.mul(-2.5)).covers("mul(double)").build());
        t.add(unary("div scalar", Domain.real(), x -> x.div(4.0)).covers("div(double)").build());
        t.add(unary("pow 3", Domain.real(), x -> x.pow(3)).covers("pow(double)").build());
        t.add(unary("pow 2.5", Domain.positive(), x -> x.pow(2.5)).covers("pow(double)").build());
        t.add(unary("pow -1", Domain.awayFromZero(), x -> x.pow(-1)).build());
        t.add(unary("pow 2", Domain.real(), x -> x.pow(2)).build());
        // unary
        t.add(unary("neg", Domain.real(), Tensor::neg).covers("neg()").build());
        t.add(unary("exp", Domain.real(), Tensor::exp).covers("exp()").build());
        t.add(unary("log", Domain.positive(), Tensor::log).covers("log()").build());
        t.add(unary("sqrt", Domain.positive(), Tensor::sqrt).covers("sqrt()").build());
        t.add(unary("abs", Domain.awayFromZero(), Tensor::abs).covers("abs()").build());
        t.add(unary("tanh", Domain.real(), Tensor::tanh).covers("tanh()").build());
        t.add(unary("sigmoid", Domain.real(), Tensor::sigmoid).covers("sigmoid()").build());
        t.add(unary("relu", Domain.awayFromZero(), Tensor::relu).covers("relu()").build());
        t.add(unary("leakyRelu 0.01", Domain.awayFromZero(), x -> x.leakyRelu(0.01)).covers("leakyRelu(double)").build());
        t.add(unary("leakyRelu 0.3", Domain.awayFromZero(), x -> x.leakyRelu(0.3)).build());
        t.add(unary("elu 1", Domain.awayFromZero(), x -> x.elu(1.0)).covers("elu(double)").build());
        t.add(unary("elu 0.5", Domain.awayFromZero(), x -> x.elu(0.5)).build());
        // broadcasting itself
        t.add(op("expand").covers("expand(Shape)").shapes(d -> List.of(Shape.of(d.flag(0) ? 1 : d.rows(), 1)))
                .fn(x -> x.get(0).expand(Shape.of(x.get(0).rows(), 4))).build());
        t.add(op("expand row").shapes(d -> List.of(Shape.of(1, d.cols()))).fn(x -> x.get(0).expand(Shape.of(3, x.get(0).cols())))
                .build());
        t.add(unary("sumTo column", Domain.real(), x -> x.sumTo(Shape.of(x.rows(), 1))).covers("sumTo(Shape)").build());
        t.add(unary("sumTo scalar", Domain.real(), x -> x.sumTo(Shape.SCALAR)).build());
        // reductions
        t.add(unary("sum", Domain.real(), Tensor::sum).covers("sum()").build());
        t.add(unary("mean", Domain.real(), Tensor::mean).covers("mean()").build());
        for (int axis = 0; axis <= 1; axis++) {
            // without keepdims only axis 0 exists (a row, numpy's rank-1 as it broadcasts); axis 1 is refused
            for (boolean keep : axis == 0 ? new boolean[] {true, false} : new boolean[] {true}) {
                int a = axis;
                String suffix = " axis " + axis + (keep ? " keepdims" : "");
                t.add(unary("sum" + suffix, Domain.real(), x -> x.sum(a, keep)).covers("sum(int,boolean)").build());
                t.add(unary("mean" + suffix, Domain.real(), x -> x.mean(a, keep)).covers("mean(int,boolean)").build());
                t.add(unary("max" + suffix, Domain.distinct(), x -> x.max(a, keep)).covers("max(int,boolean)").build());
                t.add(unary("logSumExp" + suffix, Domain.real(), x -> x.logSumExp(a, keep))
                        .covers("logSumExp(int,boolean)").build());
            }
            int a = axis;
            t.add(unary("softmax axis " + axis, Domain.real(), x -> x.softmax(a)).covers("softmax(int)").build());
            t.add(unary("logSoftmax axis " + axis, Domain.real(), x -> x.logSoftmax(a)).covers("logSoftmax(int)").build());
        }
        // matrices and structure
        t.add(op("matmul").covers("matmul(Tensor)").shapes(ShapeRule.matmul()).fn(x -> x.get(0).matmul(x.get(1))).build());
        t.add(op("matmul Aᵀ·B").shapes(d -> List.of(Shape.of(d.inner(), d.rows()), Shape.of(d.inner(), d.cols())))
                .fn(x -> x.get(0).transpose().matmul(x.get(1))).build());
        t.add(unary("transpose", Domain.real(), Tensor::transpose).covers("transpose()").build());
        t.add(unary("reshape", Domain.real(), x -> x.reshape(x.cols(), x.rows())).covers("reshape(int,int)").build());
        t.add(unary("reshape to row", Domain.real(), x -> x.reshape(1, x.size())).build());
        t.add(unary("rows slice", Domain.real(), x -> x.rows(x.rows() / 2, x.rows())).covers("rows(int,int)").build());
        t.add(unary("cols slice", Domain.real(), x -> x.cols(0, (x.cols() + 1) / 2)).covers("cols(int,int)").build());
        t.add(unary("selectColumns", Domain.real(), x -> x.selectColumns(x.cols() - 1, 0, x.cols() - 1))
                .covers("selectColumns(int[])").build());
        t.add(op("concat axis 0").covers("concat(int,Tensor[])")
                .shapes(d -> List.of(Shape.of(d.rows(), d.cols()), Shape.of(d.inner(), d.cols())))
                .fn(x -> Tensor.concat(0, x.get(0), x.get(1))).build());
        t.add(op("concat axis 1")
                .shapes(d -> List.of(Shape.of(d.rows(), d.cols()), Shape.of(d.rows(), d.inner()), Shape.of(d.rows(), 1)))
                .fn(x -> Tensor.concat(1, x.get(0), x.get(1), x.get(2))).build());
        // fused losses: labels have the predictions' shape, never broadcast
        t.add(op("sigmoidCrossEntropyWithLogits").covers("sigmoidCrossEntropyWithLogits(Tensor)")
                .shapes(ShapeRule.same(2)).domains(Domain.real(4), Domain.unitInterval())
                .fn(x -> x.get(0).sigmoidCrossEntropyWithLogits(x.get(1))).build());
        t.add(op("binaryCrossEntropy").covers("binaryCrossEntropy(Tensor)")
                .shapes(ShapeRule.same(2)).domains(Domain.unitInterval(), Domain.unitInterval())
                .fn(x -> x.get(0).binaryCrossEntropy(x.get(1))).build());
        t.add(op("softmaxCrossEntropyWithLogits").covers("softmaxCrossEntropyWithLogits(Tensor)")
                .shapes(ShapeRule.same(2)).domains(Domain.real(4), Domain.unitInterval())
                .fn(x -> x.get(0).softmaxCrossEntropyWithLogits(x.get(1))).build());
        // compositions: reuse of a node, chains through several ops
        t.add(op("reuse x·x + x").fn(x -> x.get(0).mul(x.get(0)).add(x.get(0))).build());
        t.add(op("logistic regression cost").covers()
                .shapes(d -> List.of(Shape.of(1, d.rows()), Shape.of(1, 1), Shape.of(d.rows(), d.cols()), Shape.of(1, d.cols())))
                .domains(Domain.real(), Domain.real(), Domain.real(), Domain.unitInterval())
                .fn(x -> x.get(0).matmul(x.get(2)).add(x.get(1)).sigmoidCrossEntropyWithLogits(x.get(3)).mean()).build());
        return List.copyOf(t);
    }
}
