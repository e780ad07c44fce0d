package io.github.chainrule.examples.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The benchmark's handle on chainrule's internal matrix-multiply entry point ({@code autodiff.Gemm},
 * package-private on purpose: it is not API). Reached once through a private lookup, which works
 * on the class path (both in the unnamed module); a {@code static final} method handle then costs
 * what a direct call costs. Only the benchmark does this.
 */
final class KernelAccess {
    private static final MethodHandle MULTIPLY, DISPATCH, FMA;

    static {
        try {
            Class<?> gemm = Class.forName("io.github.chainrule.autodiff.Gemm");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(gemm, MethodHandles.lookup());
            MULTIPLY = lookup.findStatic(gemm, "multiply", MethodType.methodType(void.class, boolean.class,
                    boolean.class, double[].class, int.class, int.class, double[].class, int.class, int.class,
                    double[].class, int.class));
            DISPATCH = lookup.findStatic(gemm, "multiply", MethodType.methodType(void.class, boolean.class,
                    boolean.class, double[].class, int.class, int.class, double[].class, int.class, int.class,
                    double[].class));
            FMA = lookup.findStaticGetter(gemm, "FMA", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private KernelAccess() {
    }

    /** {@code C = op(A)·op(B)} on row-major arrays with at most {@code threads} threads. */
    static void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c, int threads) {
        try {
            MULTIPLY.invokeExact(ta, tb, a, aRows, aCols, b, bRows, bCols, c, threads);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code C = op(A)·op(B)} as chainrule's operations call it: through the current backend
     * ({@code GemmBackends.current()}) when it takes the product, else the pure-Java kernel.
     */
    static void dispatch(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
            double[] c) {
        try {
            DISPATCH.invokeExact(ta, tb, a, aRows, aCols, b, bRows, bCols, c);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the kernel uses its fused multiply-add micro-kernel on this machine. */
    static boolean fma() {
        try {
            return (boolean) FMA.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
