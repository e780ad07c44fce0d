package io.github.chainrule.autodiff;

import java.security.CodeSource;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Anomaly detection, off by default and per thread. When on, every operation remembers the
 * line of user code that created it, and the first forward value or backward gradient that
 * contains NaN or ±Inf throws an {@link AnomalyException} naming the operation, its input
 * shapes and that line:
 *
 * <pre>{@code
 * try (var scope = Anomaly.detect()) {
 *     cost = model(x); cost.backward();
 * }
 * }</pre>
 *
 * The cost when off is one thread-local read per operation.
 */
public final class Anomaly {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Code locations of library modules; frames from them are not "user code". */
    private static final Set<String> LIBRARY = ConcurrentHashMap.newKeySet();

    static {
        markLibraryCode(Anomaly.class);
    }

    private Anomaly() {
    }

    /** Turns anomaly detection on for this thread until the returned scope is closed. */
    public static Grad.Scope detect() {
        ThreadState state = ThreadState.get();
        boolean previous = state.anomaly;
        state.anomaly = true;
        return () -> ThreadState.get().anomaly = previous;
    }

    /** Whether anomaly detection is on for this thread. */
    public static boolean isEnabled() {
        return ThreadState.get().anomaly;
    }

    /** Whether forward values of new operations are checked: anomaly mode on, outside backward rules. */
    static boolean checksForward() {
        ThreadState state = ThreadState.get();
        return state.anomaly && !state.inBackward;
    }

    /** Marks the running of backward rules, whose inner operations are not checked one by one. */
    static Grad.Scope duringBackward() {
        ThreadState state = ThreadState.get();
        boolean previous = state.inBackward;
        state.inBackward = true;
        return () -> ThreadState.get().inBackward = previous;
    }

    /**
     * Declares the code location (jar or classes folder) of {@code libraryClass} as library
     * code, so that anomaly reports skip its frames when looking for the user's line. Layers in
     * other modules call this once.
     */
    public static void markLibraryCode(Class<?> libraryClass) {
        String location = location(libraryClass);
        if (location != null) {
            LIBRARY.add(location);
        }
    }

    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().toString();
    }

    /** The first stack frame outside library code, as {@code Class.method(File.java:12)}. */
    static String userSite() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.toStackTraceElement().toString())
                .orElse("unknown location"));
    }

    /** chainrule's own modules and the JDK (whose callbacks, like forEach, sit between user code and ops). */
    private static boolean isLibrary(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader()
                || LIBRARY.contains(String.valueOf(location(c)));
    }

    static void checkForward(String op, Tensor[] inputs, Tensor out, String site) {
        String bad = firstNonFinite(out);
        if (bad != null) {
            throw new AnomalyException(String.format("anomaly: %s produced %s in its forward value %s"
                    + " from inputs %s; created at %s", op, bad, out.shape(), shapes(inputs), site));
        }
    }

    static void checkBackward(Node node, int input, Tensor gradient) {
        String bad = firstNonFinite(gradient);
        if (bad != null) {
            throw new AnomalyException(String.format("anomaly: backward of %s produced %s in the gradient"
                    + " for input %d %s (rule %s); inputs %s; created at %s", node.op(), bad, input,
                    node.inputs[input].label(), node.rule(input).text(node, input), shapes(node.inputs),
                    node.site == null ? "unknown location (turn anomaly mode on before the forward pass)" : node.site));
        }
    }

    private static String shapes(Tensor[] inputs) {
        return Arrays.stream(inputs).map(t -> t.shape().toString()).collect(Collectors.joining(", "));
    }

    private static String firstNonFinite(Tensor t) {
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                return d[i] + " at (" + i / t.cols() + ", " + i % t.cols() + ")";
            }
        }
        return null;
    }
}
