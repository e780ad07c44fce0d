package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.autodiff.testing.GradientProperty;
import io.github.chainrule.autodiff.testing.OpEntry;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of the nn op table through the shared gradient property; no public function or
 * {@link Activation} constant without a row, and no row claiming to cover one that does not exist.
 */
class NnOpTableGradientTest {

    /** The classes whose public static tensor functions must each have a row. */
    private static final List<Class<?>> FUNCTION_CLASSES = List.of(Activations.class, Functional.class, Losses.class,
            Costs.class);

    /** Public static functions returning a Tensor that make data, not differentiable math. */
    private static final Set<String> NOT_OPS = Set.of("Losses.oneHot(int[],int)");

    @TestFactory
    Stream<DynamicTest> gradients() {
        return GradientProperty.tests(NnOps.TABLE);
    }

    @Test
    void everyPublicFunctionHasARow() {
        Set<String> covered = NnOps.TABLE.stream().flatMap(e -> e.covers().stream()).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        Set<String> found = new TreeSet<>();
        for (Class<?> c : FUNCTION_CLASSES) {
            for (Method m : c.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && m.getReturnType() == Tensor.class) {
                    String sig = signature(c, m);
                    found.add(sig);
                    if (!NOT_OPS.contains(sig) && !covered.contains(sig)) {
                        missing.add(sig);
                    }
                }
            }
        }
        for (Field f : Activation.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Activation.class) {
                String sig = "Activation." + f.getName();
                found.add(sig);
                if (!covered.contains(sig)) {
                    missing.add(sig);
                }
            }
        }
        assertTrue(missing.isEmpty(), "public nn functions and Activation constants without a row in NnOps: " + missing);
        // and every covers() string names a real function, so a renamed method cannot hide
        Set<String> stale = new TreeSet<>(covered);
        stale.removeAll(found);
        assertTrue(stale.isEmpty(), "NnOps rows cover functions that do not exist: " + stale);
        Set<String> staleNotOps = new TreeSet<>(NOT_OPS);
        staleNotOps.removeAll(found);
        assertTrue(staleNotOps.isEmpty(), "NOT_OPS lists functions that do not exist: " + staleNotOps);
    }

    /**
     * The dense rows are generated from {@code NnOps.ACTIVATIONS}, which is read from Activation's
     * fields, so a new constant gets a gradient-checked row without anyone writing one; what can
     * still go wrong is the reading itself, so the expected constants are written out here.
     */
    @Test
    void theActivationConstantsAreAllRead() {
        assertEquals(Set.of("SIGMOID", "TANH", "RELU", "LEAKY_RELU", "ELU", "SOFTMAX", "IDENTITY"), NnOps.ACTIVATIONS.keySet(),
                "Activation's constants changed: update this list (each one gets a dense row from NnOps)");
    }

    @Test
    void tableNamesAreUnique() {
        assertEquals(NnOps.TABLE.size(), NnOps.TABLE.stream().map(OpEntry::name).collect(Collectors.toSet()).size());
    }

    static String signature(Class<?> c, Method m) {
        return c.getSimpleName() + "." + m.getName() + "(" + Arrays.stream(m.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(",")) + ")";
    }
}
