package io.github.chainrule.examples;

import io.github.chainrule.autodiff.Tensor;

/** The README's quick start: the course's computation graph J = 3(a + b·c). */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        Tensor a = Tensor.scalar(5).named("a").requiringGrad();
        Tensor b = Tensor.scalar(3).named("b").requiringGrad();
        Tensor c = Tensor.scalar(2).named("c").requiringGrad();

        Tensor u = b.mul(c).named("u");     // u = bc
        Tensor v = a.add(u).named("v");     // v = a + u
        Tensor J = v.mul(3).named("J");     // J = 3v

        J.backward();                       // dJ/dt for every t in the graph

        System.out.println(u + ", " + v + ", " + J);
        System.out.println("dJ/dv = " + v.grad().item() + ", dJ/du = " + u.grad().item());
        System.out.println("dJ/da = " + a.grad().item() + ", dJ/db = " + b.grad().item()
                + ", dJ/dc = " + c.grad().item());
    }
}
