package io.github.chainrule.autodiff.testing;

import com.sageserpent.americium.java.Trials;
import com.sageserpent.americium.java.TrialsApi;
import com.sageserpent.americium.java.TrialsFactoring;
import io.github.chainrule.autodiff.GradCheck;
import io.github.chainrule.autodiff.GradCheckReport;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.autodiff.testing.ProgramOps.Info;
import io.github.chainrule.autodiff.testing.ProgramOps.Instance;
import io.github.chainrule.autodiff.testing.ProgramOps.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The random-program property: Americium draws small programs ({@link Program}, 2 to 8 steps
 * over {@link ProgramOps}, i.e. over the op table) on 2 or 3 leaves (fewer when a leaf goes unused) of broadcast-compatible
 * shapes, and {@link GradCheck} compares the whole Jacobian of each program with central
 * differences, to first and to second order ({@link GradientProperty#gradientOf}). Single-op
 * rows cannot see a wrong rule of a linear op at second order (its second derivative is zero
 * either way); a program that slices, pads or gathers next to a nonlinear op can.
 *
 * <p>How a program is drawn: per step, four integers choose the op (one step in three from the
 * structural ops, one from the binary arithmetic ones, one from the unary ones), its operands (the first one half the time the most recent value, else any
 * earlier one, so intermediates fan out; a binary op's second one the first one again one time in
 * four, else counted from the leaves, first one of another shape that fits, so that operands
 * broadcast) and its
 * parameter (slice bounds, gathered columns, axis, keepdims). An op that does not apply to the
 * chosen operands, or whose domain their bounds do not guarantee, gives way to the next one, so
 * every draw is a valid program. Americium shrinks the integers and the step count, so a failure
 * shrinks to a short program, reported as pasteable Java ({@link Program#toJava()}) with the
 * recipe that replays it.
 */
public final class RandomPrograms {
    /** Programs per run of the property; override with {@code -Dchainrule.programs=N}. */
    public static final int CASES = Integer.getInteger("chainrule.programs", 1500);

    private static final TrialsApi API = Trials.api();

    private RandomPrograms() {
    }

    /** The drawn programs (valid by construction; kinks are filtered by {@link #check}). */
    public static Trials<Program> trials() {
        return API.integers(1, 4).flatMap(rows -> API.integers(1, 4).flatMap(cols -> API.integers(2, 3).flatMap(
                leafCount -> API.integers(0, 511).flatMap(flags -> API.integers(2, 8, 2).flatMap(
                        n -> API.integers(0, 999).immutableListsOfSize(4).immutableListsOfSize(n).flatMap(choices -> {
                            List<Shape> shapes = new ArrayList<>();
                            List<Boolean> positive = new ArrayList<>();
                            for (int i = 0; i < leafCount; i++) {
                                // leaf 0 is full size; the others may collapse an axis (broadcasting)
                                boolean r1 = i > 0 && (flags >> (3 * i) & 1) == 1;
                                boolean c1 = i > 0 && (flags >> (3 * i + 1) & 1) == 1;
                                shapes.add(Shape.of(r1 ? 1 : rows, c1 ? 1 : cols));
                                positive.add((flags >> (3 * i + 2) & 1) == 1);
                            }
                            int total = shapes.stream().mapToInt(Shape::size).sum();
                            return API.integers(-1000, 1000).immutableListsOfSize(total)
                                    .map(raw -> build(shapes, positive, raw, choices));
                        }))))));
    }

    private static Domain leafDomain(boolean positive) {
        return positive ? raw -> Arrays.stream(raw).map(r -> 0.2 + 2 * Math.abs(r)).toArray() : Domain.real(2);
    }

    /** Interprets the drawn integers as a program (deterministically, so shrinking the integers shrinks the program). */
    static Program build(List<Shape> shapes, List<Boolean> positive, List<Integer> raw,
            List<? extends List<Integer>> choices) {
        List<double[]> values = new ArrayList<>();
        List<Info> infos = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < shapes.size(); i++) {
            double[] u = new double[shapes.get(i).size()];
            for (int j = 0; j < u.length; j++) {
                u[j] = raw.get(at++) / 1000.0;
            }
            values.add(leafDomain(positive.get(i)).values(u));
            double lo = positive.get(i) ? 0.2 : -2, hi = 2.2;
            infos.add(new Info(shapes.get(i), lo, hi));
        }
        List<Program.Step> steps = new ArrayList<>();
        for (List<Integer> c : choices) {
            Program.Step s = step(infos, c.get(0), c.get(1), c.get(2), c.get(3));
            if (s != null) {
                steps.add(s);
                infos.add(s.instance().out());
            }
        }
        return withoutUnusedLeaves(shapes, positive, values, steps);
    }

    /** Drops the leaves no step uses (renumbering the operands), so that every input of a program matters. */
    private static Program withoutUnusedLeaves(List<Shape> shapes, List<Boolean> positive, List<double[]> values,
            List<Program.Step> steps) {
        int leafCount = shapes.size();
        boolean[] used = new boolean[leafCount];
        steps.forEach(s -> s.operands().forEach(i -> {
            if (i < leafCount) {
                used[i] = true;
            }
        }));
        int[] newIndex = new int[leafCount + steps.size()];
        List<Shape> keptShapes = new ArrayList<>();
        List<Boolean> keptPositive = new ArrayList<>();
        List<double[]> keptValues = new ArrayList<>();
        for (int i = 0; i < leafCount; i++) {
            if (used[i]) {
                newIndex[i] = keptShapes.size();
                keptShapes.add(shapes.get(i));
                keptPositive.add(positive.get(i));
                keptValues.add(values.get(i));
            }
        }
        for (int k = 0; k < steps.size(); k++) {
            newIndex[leafCount + k] = keptShapes.size() + k;
        }
        List<Program.Step> renumbered = new ArrayList<>();
        for (Program.Step s : steps) {
            renumbered.add(new Program.Step(s.op(), s.operands().stream().map(i -> newIndex[i]).toList(), s.instance()));
        }
        return new Program(List.copyOf(keptShapes), List.copyOf(keptPositive), keptValues, renumbered);
    }

    /** The first op (from the drawn one on, structural ops first one time in three) that applies. */
    private static Program.Step step(List<Info> infos, int o, int a, int b, int p) {
        // one step in three structural, one binary arithmetic (broadcasting), one unary arithmetic
        List<Op> kind = switch (o % 3) {
            case 0 -> ProgramOps.STRUCTURAL;
            case 1 -> ProgramOps.ARITHMETIC.stream().filter(op -> op.arity() == 2).toList();
            default -> ProgramOps.ARITHMETIC.stream().filter(op -> op.arity() == 1).toList();
        };
        // the drawn op first, then the others of its kind in an order fixed by the draw (not always the
        // same neighbour, which would make a few ops far more frequent than the rest), then all others
        List<Op> rest = new ArrayList<>(kind);
        Op drawn = rest.remove(o / 3 % kind.size());
        Collections.shuffle(rest, new Random(o));
        List<Op> order = new ArrayList<>();
        order.add(drawn);
        order.addAll(rest);
        List<Op> others = new ArrayList<>(ProgramOps.STRUCTURAL);
        others.addAll(ProgramOps.ARITHMETIC);
        others.removeAll(kind);
        Collections.shuffle(others, new Random(o));
        order.addAll(others);
        int n = infos.size();
        // the first operand: the most recent value half the time, else any value (a step used again: fan-out);
        // when the op's domain excludes it, the values before it in turn (a positive leaf for log, say)
        int x0 = a % 2 == 0 ? n - 1 : n - 1 - a / 2 % n;
        for (Op op : order) {
            for (int kx = 0; kx < n; kx++) {
                int x = Math.floorMod(x0 - kx, n);
                if (op.arity() == 1) {
                    Instance i = op.instantiate(List.of(infos.get(x)), p);
                    if (i != null) {
                        return new Program.Step(op, List.of(x), i);
                    }
                    continue;
                }
                // the second operand: x itself one time in four (x op x); else, counted from the leaves, first
                // a value of another shape that fits (broadcasting, or concatenating different parts), then any
                for (int pass = b % 4 == 0 ? 0 : 1; pass <= 2; pass++) {
                    for (int k = 0; k < (pass == 0 ? 1 : n); k++) {
                        int y = pass == 0 ? x : (b / 4 + k) % n;
                        if (pass == 1 && infos.get(y).shape().equals(infos.get(x).shape())) {
                            continue;
                        }
                        Instance i = op.instantiate(List.of(infos.get(x), infos.get(y)), p);
                        if (i != null) {
                            return new Program.Step(op, List.of(x, y), i);
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Checks up to {@code cases} programs; a failure is shrunk and reported as Java code with its recipe. */
    public static int check(int cases) {
        AtomicInteger ran = new AtomicInteger();
        int[] reused = new int[1], broadcast = new int[1], structural = new int[1];
        try {
            trials().withLimit(cases).supplyTo(p -> Trials.whenever(p.kinkMargin() >= ProgramOps.KINK_MARGIN, () -> {
                ran.incrementAndGet();
                reused[0] += p.reusesAnIntermediate() ? 1 : 0;
                broadcast[0] += p.broadcasts() ? 1 : 0;
                structural[0] += p.hasStructuralStep() ? 1 : 0;
                checkProgram(p);
            }));
        } catch (TrialsFactoring.TrialException e) {
            throw new AssertionError("random-program property failed; shrunk program:\n" + ((Program) e.provokingCase())
                    .toJava() + "replay with recipe: " + e.recipe() + "\n" + e.getCause().getMessage(), e.getCause());
        }
        System.out.printf("random programs: %d checked to first and second order (%d reuse an intermediate,"
                + " %d broadcast, %d have structural steps)%n", ran.get(), reused[0], broadcast[0], structural[0]);
        return ran.get();
    }

    /**
     * The first of up to {@code cases} programs that fails, without shrinking (for the mutation
     * check, which only needs to know whether the property fails): its report, or empty.
     */
    public static Optional<String> firstFailure(int cases) {
        Iterator<Program> it = trials().withLimit(cases).asIterator();
        while (it.hasNext()) {
            Program p = it.next();
            if (p.kinkMargin() < ProgramOps.KINK_MARGIN) {
                continue;
            }
            try {
                checkProgram(p);
            } catch (AssertionError | RuntimeException e) {
                return Optional.of(p.toJava() + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** First derivatives, then second derivatives (the gradient of {@code Σ w ⊙ ∂s/∂x}), of the whole program. */
    public static void checkProgram(Program p) {
        GradCheck check = GradCheck.defaults();
        GradCheckReport first = check.check(p::evaluate, p.inputs().toArray(new Tensor[0]));
        if (!first.passed()) {
            throw new AssertionError("first derivatives of the program\n" + first);
        }
        GradCheckReport second = check.check(GradientProperty.gradientOf(p::evaluate), p.inputs().toArray(new Tensor[0]));
        if (!second.passed()) {
            throw new AssertionError("second derivatives (gradient of Σ w ⊙ ∂s/∂x) of the program\n" + second);
        }
    }
}
