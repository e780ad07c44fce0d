package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of the autodiff op table, checked to first (and, where claimed, second) order; every
 * public op has a row, and no row (or exclusion) names a method that does not exist.
 */
class OpTableGradientTest {

    /** Public methods of Tensor that return a Tensor but are not differentiable operations. */
    private static final Set<String> NOT_OPS = Set.of("scalar(double)", "of(double[][])",
            "fromRowMajor(int,int,double[])", "column(double[])", "row(double[])", "zeros(int,int)", "zeros(Shape)",
            "ones(int,int)", "ones(Shape)", "full(int,int,double)", "eye(int)", "randn(int,int,NumpyRandom)",
            "rand(int,int,NumpyRandom)", "fromEjml(DMatrixRMaj)", "named(String)", "requiringGrad()", "grad()",
            "detach()", "checkFinite()");

    @TestFactory
    Stream<DynamicTest> gradients() {
        return GradientProperty.tests(AutodiffOps.TABLE);
    }

    @Test
    void everyPublicOpHasARow() {
        Set<String> covered = AutodiffOps.TABLE.stream().flatMap(e -> e.covers().stream()).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        Set<String> found = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Tensor.class) {
                String sig = signature(m);
                found.add(sig);
                if (!NOT_OPS.contains(sig) && !covered.contains(sig)) {
                    missing.add(sig);
                }
            }
        }
        assertTrue(missing.isEmpty(), "public Tensor ops without a row in the op table: " + missing);
        // and every covers() string names a real method, so a renamed or removed op cannot hide
        Set<String> stale = new TreeSet<>(covered);
        stale.removeAll(found);
        assertTrue(stale.isEmpty(), "op table rows cover methods Tensor does not have: " + stale);
        Set<String> staleNotOps = new TreeSet<>(NOT_OPS);
        staleNotOps.removeAll(found);
        assertTrue(staleNotOps.isEmpty(), "NOT_OPS lists methods Tensor does not have: " + staleNotOps);
    }

    @Test
    void tableNamesAreUnique() {
        assertEquals(AutodiffOps.TABLE.size(),
                AutodiffOps.TABLE.stream().map(OpEntry::name).collect(Collectors.toSet()).size());
    }

    static String signature(Method m) {
        return m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",")) + ")";
    }
}
