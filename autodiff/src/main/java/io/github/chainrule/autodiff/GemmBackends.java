package io.github.chainrule.autodiff;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Which {@link GemmBackend} computes matrix products, and how to see or change it.
 *
 * <p>The choice, made once at the first product:
 * <ol>
 * <li>the backend named by the system property {@value #PROPERTY} ({@code -Dchainrule.gemm=java}
 * or {@code =openblas}), if set; when no backend of that name is available or it fails to load,
 * every product throws an {@link IllegalStateException} naming the backends that are
 * available, and why the named one did not load;</li>
 * <li>else the first backend found on the class path by {@link ServiceLoader} that loads (the
 * optional {@code chainrule-openblas} module provides {@code "openblas"}); one that fails to load
 * (no native library for this OS or CPU) prints one line to standard error and is skipped;</li>
 * <li>else the built-in pure-Java kernel, {@value #JAVA}: no native code, no dependency.</li>
 * </ol>
 * Even with a native backend current, small products stay on the pure-Java kernel when that is
 * faster ({@link GemmBackend#prefers}). {@link #current()} shows the choice, {@link #use(String)}
 * changes it at run time (for all threads), {@link #available()} lists the candidates.
 *
 * <p>Finding a backend instantiates it: a native backend loads its library then (the OpenBLAS one
 * extracts it to a cache folder first). With {@code -Dchainrule.gemm=java}, nothing is loaded
 * unless {@link #available()} or {@link #use(String)} asks for the others.
 */
public final class GemmBackends {
    /** The system property that forces a backend by name: {@value}. */
    public static final String PROPERTY = "chainrule.gemm";
    /** The name of the built-in pure-Java backend: {@value}. */
    public static final String JAVA = "java";

    /** The built-in backend: chainrule's blocked pure-Java kernel ({@code Gemm}). */
    static final GemmBackend PURE_JAVA = new GemmBackend() {
        @Override
        public String name() {
            return JAVA;
        }

        @Override
        public String description() {
            return "java: pure-Java blocked kernel, " + (Gemm.FMA ? "Math.fma" : "multiply+add")
                    + " micro-kernel, up to " + Gemm.MAX_THREADS + " threads";
        }

        @Override
        public void multiply(boolean ta, boolean tb, double[] a, int aRows, int aCols, double[] b, int bRows,
                int bCols, double[] c) {
            Gemm.multiply(ta, tb, a, aRows, aCols, b, bRows, bCols, c, Gemm.MAX_THREADS);
        }

        @Override
        public String toString() {
            return description();
        }
    };

    private static volatile GemmBackend active;
    /** The providers found on the class path, instantiated; null until needed. */
    private static Catalog catalog;

    private GemmBackends() {
    }

    /**
     * The backend products go through now, choosing it on the first call as described on the type.
     *
     * @return the current backend
     * @throws IllegalStateException when {@value #PROPERTY} names a backend that is not available
     */
    public static GemmBackend current() {
        GemmBackend b = active;
        return b != null ? b : choose();
    }

    /**
     * The names of the backends that can be used here: {@value #JAVA} first, then each one found
     * on the class path that loaded (loading them if not done yet).
     *
     * @return the names, in the order of preference after {@value #JAVA}
     */
    public static synchronized List<String> available() {
        List<String> names = new ArrayList<>();
        names.add(JAVA);
        names.addAll(catalog().found.keySet());
        return Collections.unmodifiableList(names);
    }

    /**
     * The backend of that name, without making it current (benchmarks call it directly).
     *
     * @param name a name from {@link #available()}
     * @return the backend
     * @throws IllegalArgumentException when no backend of that name is available
     */
    public static synchronized GemmBackend get(String name) {
        if (JAVA.equals(name)) {
            return PURE_JAVA;
        }
        GemmBackend b = catalog().found.get(name);
        if (b == null) {
            throw new IllegalArgumentException(catalog().notAvailable("GemmBackends.get(\"" + name + "\")", name));
        }
        return b;
    }

    /**
     * Makes the named backend the current one for every later product, on all threads.
     *
     * @param name a name from {@link #available()}
     * @return the backend now current
     * @throws IllegalArgumentException when no backend of that name is available
     */
    public static synchronized GemmBackend use(String name) {
        GemmBackend b = get(name);
        active = b;
        return b;
    }

    private static synchronized GemmBackend choose() {
        if (active == null) {
            String forced = System.getProperty(PROPERTY);
            // with java forced, nothing else is loaded
            active = JAVA.equals(forced == null ? null : forced.trim()) ? PURE_JAVA
                    : choose(forced, catalog(), System.err);
        }
        return active;
    }

    private static synchronized Catalog catalog() {
        if (catalog == null) {
            ServiceLoader<GemmBackend> loader = ServiceLoader.load(GemmBackend.class, GemmBackend.class.getClassLoader());
            Catalog c;
            try {
                c = new Catalog(loader.stream());
            } catch (ServiceConfigurationError e) {
                c = new Catalog(java.util.stream.Stream.empty());
                c.failed.put("a GemmBackend provider file", reason(e));
            }
            catalog = c;
        }
        return catalog;
    }

    /**
     * The choice described on the type, from {@code forced} (the property's value, or null) and
     * the providers found; failures are reported to {@code err} when nothing is forced.
     */
    static GemmBackend choose(String forced, Catalog c, PrintStream err) {
        if (forced != null && !forced.isBlank()) {
            String name = forced.trim();
            if (name.equals(JAVA)) {
                return PURE_JAVA;
            }
            GemmBackend b = c.found.get(name);
            if (b == null) {
                throw new IllegalStateException(c.notAvailable("-D" + PROPERTY + "=" + forced, name));
            }
            return b;
        }
        c.failed.forEach((type, why) -> err.println("chainrule: matrix-multiply backend " + type
                + " did not load, products use pure Java (" + why + ")"));
        return c.found.isEmpty() ? PURE_JAVA : c.found.values().iterator().next();
    }

    /** Providers instantiated once: those that loaded, by name, and those that failed, with why. */
    static final class Catalog {
        final Map<String, GemmBackend> found = new LinkedHashMap<>();
        /** Provider class name to the reason it did not load. */
        final Map<String, String> failed = new LinkedHashMap<>();

        Catalog(java.util.stream.Stream<? extends ServiceLoader.Provider<GemmBackend>> providers) {
            providers.forEach(p -> {
                try {
                    GemmBackend b = p.get();
                    if (!JAVA.equals(b.name())) {
                        found.putIfAbsent(b.name(), b);
                    }
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    failed.put(p.type().getName(), reason(e));
                }
            });
        }

        String notAvailable(String what, String name) {
            StringBuilder s = new StringBuilder(what).append(": no matrix-multiply backend named \"").append(name)
                    .append("\" is available; available: ").append(JAVA);
            found.keySet().forEach(n -> s.append(", ").append(n));
            failed.forEach((type, why) -> s.append("; ").append(type).append(" did not load: ").append(why));
            if (failed.isEmpty() && found.isEmpty()) {
                s.append(" (the \"openblas\" backend needs chainrule-openblas on the class path)");
            }
            return s.toString();
        }
    }

    /** The innermost cause's type and message, on one line. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s+", " ");
        return t.getClass().getSimpleName() + m;
    }
}
