package io.github.chainrule.autodiff.testing;

import com.sageserpent.americium.java.Trials;
import com.sageserpent.americium.java.TrialsApi;
import com.sageserpent.americium.java.TrialsFactoring;
import io.github.chainrule.autodiff.Autograd;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.GradCheck;
import io.github.chainrule.autodiff.GradCheckReport;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The one property behind every gradient test: for a row of an op table, Americium draws
 * operand shapes (1 to 5 rows and columns, broadcast-compatible where the row says so) and
 * values in the row's domain, and {@link GradCheck} compares the analytic gradient with central
 * differences over the whole Jacobian; rows that claim it are checked to second order as well,
 * by checking the gradient of {@code Σ w ⊙ ∂s/∂x} built with {@code createGraph}.
 *
 * <p>A failure is shrunk by Americium and reported with the row, the shapes, the shrunk values,
 * the gradient-check table and Americium's recipe, which replays the case exactly.
 */
public final class GradientProperty {
    /** Cases per row; override with {@code -Dchainrule.cases=N}. */
    public static final int CASES = Integer.getInteger("chainrule.cases", 30);

    private static final TrialsApi API = Trials.api();

    private GradientProperty() {
    }

    /** One JUnit dynamic test per row. */
    public static Stream<DynamicTest> tests(List<OpEntry> table) {
        return table.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            int ran = check(e, CASES);
            // cases drawn too near a kink are skipped: most must still run, or the row proves little
            if (ran < CASES * 8 / 10) {
                throw new AssertionError(e.name() + ": only " + ran + " of " + CASES + " cases ran; the rest were skipped");
            }
        }));
    }

    /** Runs up to {@code cases} drawn cases of {@code entry}; returns how many ran. */
    public static int check(OpEntry entry, int cases) {
        AtomicInteger ran = new AtomicInteger();
        try {
            trials(entry).withLimit(cases).supplyTo(c -> {
                ran.incrementAndGet();
                checkCase(c);
            });
        } catch (TrialsFactoring.TrialException e) {
            throw new AssertionError("gradient property failed for op " + entry.name() + "\nshrunk case: "
                    + e.provokingCase() + "\nreplay with recipe: " + e.recipe() + "\n" + e.getCause().getMessage(),
                    e.getCause());
        }
        System.out.printf("gradient property %-34s arity %d, %3d cases%s%n", entry.name(), entry.arity(), ran.get(),
                entry.secondOrder() ? ", first and second order" : ", first order");
        return ran.get();
    }

    /**
     * The first of up to {@code cases} drawn cases of {@code entry} that fails, without shrinking
     * (for the mutation check, which only needs to know whether the property fails): its report,
     * or empty when every case passes.
     */
    public static Optional<String> firstFailure(OpEntry entry, int cases) {
        Iterator<Case> it = trials(entry).withLimit(cases).asIterator();
        while (it.hasNext()) {
            Case c = it.next();
            try {
                checkCase(c);
            } catch (AssertionError | RuntimeException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A drawn case: the row, the operand shapes and their values (already in the row's domain). */
    public record Case(OpEntry entry, List<Shape> shapes, List<double[]> values) {
        List<Tensor> tensors() {
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                out.add(Tensor.fromRowMajor(shapes.get(i).rows(), shapes.get(i).cols(), values.get(i))
                        .named("x" + i));
            }
            return out;
        }

        @Override
        public String toString() {
            return entry.name() + " on shapes " + shapes + " with values "
                    + values.stream().map(Arrays::toString).collect(Collectors.joining(", "));
        }
    }

    static Trials<Case> trials(OpEntry e) {
        return API.integers(1, 5).flatMap(r -> API.integers(1, 5).flatMap(c -> API.integers(1, 5).flatMap(
                k -> API.integers(0, 255).flatMap(flags -> {
                    List<Shape> shapes = e.shapes().shapes(new Dims(r, c, k, flags));
                    int total = shapes.stream().mapToInt(Shape::size).sum();
                    return API.integers(-1000, 1000).immutableListsOfSize(total).map(raw -> {
                        List<double[]> values = new ArrayList<>();
                        int at = 0;
                        for (int i = 0; i < shapes.size(); i++) {
                            double[] u = new double[shapes.get(i).size()];
                            for (int j = 0; j < u.length; j++) {
                                u[j] = raw.get(at++) / 1000.0;
                            }
                            values.add(e.domain(i).values(u));
                        }
                        return new Case(e, shapes, values);
                    });
                }))));
    }

    static void checkCase(Case c) {
        OpEntry e = c.entry();
        GradCheck check = GradCheck.defaults().tolerance(e.atol(), e.rtol());
        GradCheckReport first = check.check(e.fn(), c.tensors().toArray(new Tensor[0]));
        if (!first.passed()) {
            throw new AssertionError("first derivatives of " + c + "\n" + first);
        }
        if (e.secondOrder()) {
            GradCheckReport second = check.check(gradientOf(e.fn()), c.tensors().toArray(new Tensor[0]));
            if (!second.passed()) {
                throw new AssertionError("second derivatives (gradient of Σ w ⊙ ∂s/∂x) of " + c + "\n" + second);
            }
        }
    }

    /**
     * {@code h(x) = Σ_i Σ w_i ⊙ ∂s/∂x_i} with {@code s = Σ v ⊙ f(x)} and fixed weights v, w: its
     * gradient exercises every backward rule's own derivative.
     */
    public static Function<List<Tensor>, Tensor> gradientOf(Function<List<Tensor>, Tensor> f) {
        return xs -> {
            try (Grad.Scope on = Grad.enabled()) {
                Tensor out = f.apply(xs);
                Tensor s = out.mul(weights(out.shape(), 0)).sum();
                // allowUnused: an op may ignore an operand (l2 of a model's W, not its b); its gradient is 0
                List<Tensor> grads = Autograd.grad(s, xs, true, true);
                Tensor h = Tensor.zeros(1, 1);
                for (int i = 0; i < grads.size(); i++) {
                    h = h.add(grads.get(i).mul(weights(grads.get(i).shape(), i + 1)).sum());
                }
                return h;
            }
        };
    }

    /** Fixed, varied, nonzero weights. */
    static Tensor weights(Shape shape, int salt) {
        double[] w = new double[shape.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.cos(1.3 * i + 0.7 + 2.1 * salt) + 0.1;
        }
        return Tensor.fromRowMajor(shape.rows(), shape.cols(), w);
    }
}
