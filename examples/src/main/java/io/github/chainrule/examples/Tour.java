package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Tensor;
import java.nio.file.Path;

/**
 * The tour of chainrule: each section prints what it computes and writes its pictures into
 * {@code chainrule-out/} (or the folder given as the first argument).
 */
public final class Tour {
    private Tour() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "chainrule-out").toAbsolutePath();
        System.out.println("chainrule tour; pictures go to " + out);
        System.out.println();
        computationGraph();
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
        System.out.printf("forward:  u = b·c = %s, v = a + u = %s, J = 3v = %s%n",
                u.item(), v.item(), J.item());
        System.out.printf("backward: dJ/dv = %s, dJ/du = %s, dJ/da = %s, dJ/db = %s, dJ/dc = %s%n",
                v.grad().item(), u.grad().item(), a.grad().item(), b.grad().item(), c.grad().item());
        System.out.println();
    }
}
