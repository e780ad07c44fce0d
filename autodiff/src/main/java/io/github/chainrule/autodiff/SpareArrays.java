package io.github.chainrule.autodiff;

import java.lang.ref.WeakReference;

/**
 * Storage nobody can use any more, kept on the thread that released it so that the next results
 * (elementwise operations, products, broadcasts, column sums, slices, transposes, the fused losses
 * and the backward rules' gradients) are written into it instead of into fresh arrays. A training
 * step then stops allocating (and the JVM stops zeroing) its largest arrays: the weight gradients
 * (1.6 MB for {@code dW[1]} of a 784-256 layer, every step), the activation-sized gradients of the
 * backward pass and, inside a {@link Step}, the activations themselves.
 *
 * <p>Arrays come here only when no code outside the engine can use them:
 * <ul>
 * <li>a gradient that {@link Tensor#grad()} never handed out and that is dropped: by
 * {@link Tensor#zeroGrad()}, by a leaf's gradient replaced by a new sum, by an intermediate's
 * gradient replaced in a later pass that keeps intermediates, or cleared after a failed pass; the
 * engine stores no gradient's array anywhere else ({@link Autograd} gives each tensor its own
 * gradient object);</li>
 * <li>a training backward pass ({@code keepIntermediate = false}, no {@code createGraph}), for an
 * intermediate gradient once no gradient slot holds it any more ({@link Autograd} counts them);</li>
 * <li>the results a {@link Step} recorded, when it closes: each such tensor then refuses every
 * use of its values ({@link Tensor#data()}).</li>
 * </ul>
 * A tensor a user can still use therefore never changes. Every result owns its array (no
 * operation hands an input's array on), and taking callers overwrite every element.
 *
 * <p>At most {@link #MAX_ARRAYS} arrays and {@link #MAX_DOUBLES} doubles are kept per thread, the
 * most recently given; older ones, and larger arrays, are left to the garbage collector.
 */
final class SpareArrays {
    /** Arrays kept per thread (a model's parameters, one gradient each). */
    static final int MAX_ARRAYS = 32;
    /**
     * Doubles kept per thread: 16 MB, held as long as the thread lives (a thread pool's idle
     * workers keep theirs), enough for the gradients of a step of a model like the benchmark's
     * 784-256-128-10 MLP at batch 512.
     */
    static final long MAX_DOUBLES = 1L << 21;

    private static final ThreadLocal<SpareArrays> SPARES = ThreadLocal.withInitial(SpareArrays::new);
    /**
     * The arrays of the thread that used them last: a training loop runs on one thread, so this
     * skips the lookup. Weak, so that a finished thread's arrays (and the thread) can be collected.
     */
    private static WeakReference<SpareArrays> recent = new WeakReference<>(null);

    private final Thread owner = Thread.currentThread();
    private final double[][] arrays = new double[MAX_ARRAYS][];
    private int count;
    private long doubles;

    private SpareArrays() {
    }

    /** This thread's arrays. */
    private static SpareArrays mine() {
        SpareArrays s = recent.get(); // another thread's (final owner, safely published) only fails the check
        if (s == null || s.owner != Thread.currentThread()) {
            s = SPARES.get();
            recent = new WeakReference<>(s);
        }
        return s;
    }

    /**
     * Keeps {@code array}, which no one else references, for a later {@link #take}; the oldest kept
     * ones make room for it (those of a shape no longer computed go first).
     */
    static void give(double[] array) {
        if (array.length == 0 || array.length > MAX_DOUBLES) {
            return;
        }
        SpareArrays s = mine();
        while (s.count == MAX_ARRAYS || s.doubles + array.length > MAX_DOUBLES) {
            s.doubles -= s.arrays[0].length;
            System.arraycopy(s.arrays, 1, s.arrays, 0, --s.count);
            s.arrays[s.count] = null;
        }
        s.arrays[s.count++] = array;
        s.doubles += array.length;
    }

    /**
     * An array of {@code length} doubles with arbitrary contents, for a caller that overwrites
     * every element: a kept one of that length (the latest given) or a new one.
     */
    static double[] take(int length) {
        SpareArrays s = mine();
        for (int i = s.count - 1; i >= 0; i--) {
            double[] a = s.arrays[i];
            if (a.length == length) {
                System.arraycopy(s.arrays, i + 1, s.arrays, i, --s.count - i);
                s.arrays[s.count] = null;
                s.doubles -= length;
                return a;
            }
        }
        return new double[length];
    }

    /** Forgets the arrays this thread keeps (for tests). */
    static void clear() {
        SpareArrays s = mine();
        java.util.Arrays.fill(s.arrays, null);
        s.count = 0;
        s.doubles = 0;
    }

    /** How many arrays this thread keeps (for tests). */
    static int kept() {
        return SPARES.get().count;
    }
}
