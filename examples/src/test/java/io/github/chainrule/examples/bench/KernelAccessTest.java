package io.github.chainrule.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The benchmark reaches autodiff's package-private kernel reflectively: a rename must fail here, not at benchmark time. */
class KernelAccessTest {
    @Test
    void theBenchmarkCanCallTheKernel() throws Throwable {
        double[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new double[4];
        KernelAccess.multiply(false, false, a, 2, 2, b, 2, 2, c, 1);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c, 0); // [[1,2],[3,4]]·[[5,6],[7,8]]
    }
}
