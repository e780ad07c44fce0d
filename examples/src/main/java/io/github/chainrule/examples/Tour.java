package io.github.chainrule.examples;

import io.github.chainrule.autodiff.GradCheckReport;
import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.examples.course.GradientCheckN;
import io.github.chainrule.examples.course.PlanarData;
import io.github.chainrule.examples.course.PlanarShallowNet;
import io.github.chainrule.nn.Activation;
import io.github.chainrule.nn.Diagnostics;
import io.github.chainrule.nn.Initializer;
import io.github.chainrule.nn.Losses;
import io.github.chainrule.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tour of chainrule, run by the README's demo command: each section prints what it
 * computes and writes its pictures into {@code chainrule-out/} (or the folder given as the
 * first argument).
 */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "chainrule-out").toAbsolutePath();
        Files.createDirectories(out);
        System.out.println("chainrule tour; pictures go to " + out);
        System.out.println();
        computationGraph();
        planar();
        deepNetwork();
        gradientCheck();
    }

    /** The course's computation graph J = 3(a + b·c), forward then backward. */
    static void computationGraph() {
        System.out.println("== 1. The chain rule on J = 3(a + b·c) ==");
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(2).named("c").requiringGrad();
        Tensor u = b.mul(c).named("u");
        Tensor v = a.add(u).named("v");
        Tensor J = v.mul(3).named("J");
        J.backward();
        System.out.printf("forward:  u = b·c = %s, v = a + u = %s, J = 3v = %s%n", u.item(), v.item(), J.item());
        System.out.printf("backward: dJ/dv = %s, dJ/du = %s, dJ/da = %s, dJ/db = %s, dJ/dc = %s%n",
                v.grad().item(), u.grad().item(), a.grad().item(), b.grad().item(), c.grad().item());
        System.out.println();
    }

    /** The course's one-hidden-layer network on the planar flower data. */
    static void planar() {
        System.out.println("== 2. One hidden layer on the planar flower data (course: cost 0.693048 → 0.218607, 90%) ==");
        PlanarData data = PlanarData.flower();
        PlanarShallowNet net = new PlanarShallowNet(4);
        List<Double> costs = net.train(data.x, data.y, 10_000, 1.2);
        for (int i = 0; i < costs.size(); i += 3000) {
            System.out.printf("Cost after iteration %d: %f%n", i, costs.get(i));
        }
        System.out.printf("Accuracy: %.2f %%%n%n", 100 * net.accuracy(data.x, data.y));
    }

    /** A deep network in the course's notation, one forward and backward pass, and its diagnostics. */
    static void deepNetwork() {
        System.out.println("== 3. A deep network from layers_dims = [12288, 20, 7, 5, 1] ==");
        Sequential model = Sequential.builder(12288, 20, 7, 5, 1).hidden(Activation.RELU)
                .output(Activation.SIGMOID).initializer(Initializer.DEEP).seed(1).build();
        System.out.println(model);
        Tensor x = Tensor.rand(12288, 8, new NumpyRandom(2)).named("A[0]");
        Tensor y = Tensor.row(1, 0, 1, 1, 0, 0, 1, 0);
        Tensor cost = Losses.binaryCrossEntropy(model.forward(x), y);
        cost.backward();
        System.out.printf("cost = %.6f%n", cost.item());
        System.out.println(Diagnostics.of(model));
        try {
            model.forward(Tensor.zeros(64, 8));
        } catch (IllegalArgumentException e) {
            System.out.println("a wrong input is caught: " + e.getMessage());
        }
        System.out.println();
    }

    /** The course's N-dimensional gradient check, with and without the notebook's planted bugs. */
    static void gradientCheck() {
        System.out.println("== 4. Gradient checking a hand-written backward pass (course: 0.2850931567761623, 1.1890913023330276e-07) ==");
        GradCheckReport buggy = GradientCheckN.report(true), fixed = GradientCheckN.report(false);
        System.out.printf("with the notebook's planted bugs: difference %.16g (%s)%n", buggy.difference(),
                buggy.passed() ? "passed" : "failed");
        System.out.printf("with the bugs fixed:              difference %.16g (%s)%n", fixed.difference(),
                fixed.passed() ? "passed" : "failed");
        System.out.println();
    }
}
