package io.github.chainrule.autodiff;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A matrix of doubles that remembers how it was computed, so that gradients can flow back
 * through it. Every value is 2-D: a scalar is {@code (1, 1)}, a column vector {@code (n, 1)};
 * there are no rank-1 arrays. Following the course convention, data sets hold one example
 * per column: {@code X} is {@code (n_x, m)}.
 *
 * <p><b>Values.</b> Elements are stored row-major. A tensor's values never change once an
 * operation has used it, except through the explicit in-place methods ({@link #assign},
 * {@link #addInPlace}, {@link #set}) which only leaves allow and which bump a version counter:
 * a later {@link #backward()} through a graph that saw the old values fails with a message
 * naming the tensor.
 *
 * <p><b>Gradients.</b> Leaves created by the factories do not track gradients until
 * {@link #requiringGrad()} is called. Every operation whose inputs track gradients returns a
 * tensor that does, unless graph recording is off ({@link Grad#disabled()}). After
 * {@link #backward()} on a {@code (1, 1)} output, {@link #grad()} holds {@code ∂output/∂this}
 * on every tensor of the graph, with the tensor's own shape. Leaves accumulate across backward
 * calls (clear them with {@link #zeroGrad()}); intermediate tensors hold the latest result.
 *
 * <p><b>Broadcasting</b> follows numpy on both axes (see {@link Shape#broadcast}); the
 * operand that was expanded receives a gradient summed back to its own shape.
 *
 * <p>Method names follow numpy and PyTorch: {@code add sub mul div matmul neg exp log sum mean
 * reshape transpose}. Tensors are not thread-safe to mutate, but may be read by many threads (a
 * result recorded inside a {@link Step}, only until the step closes).
 */
public final class Tensor {
    /** The elements, row-major; {@code null} once a closed {@link Step} released them (see {@link #data()}). */
    private double[] values;
    private final Shape shape;
    final Node node;
    private String name;
    private boolean requiresGrad;
    private Tensor grad;
    private int version;
    /** A constant a composite made for itself (softmax's shift): a collapsed drawing does not show it as an input. */
    boolean internal;
    /** For a result that tracks no gradient: the composite call it was computed in, if any (a collapsed drawing cannot hide it). */
    Composite.Call madeInside;
    /** Engine bookkeeping of the backward pass running through this tensor (see {@link Autograd}): its visit mark. */
    long mark;
    /** The gradient summed so far during a backward pass, or {@code null}; cleared when the pass ends. */
    Tensor pending;
    /** Whether {@link #pending} is a buffer the pass allocated itself, which it may add into in place. */
    boolean pendingOwned;
    /**
     * As a gradient: {@link #HELD} once stored as some tensor's {@link #grad()} (another tensor then
     * gets a copy), {@link #HANDED_OUT} once {@link #grad()} returned it or its storage was reused
     * (see {@link SpareArrays}; never reused again); during a backward pass, a positive count of the
     * tensors whose gradient slot ({@link #pending}) holds it (see {@link Autograd}), up to
     * {@link #MANY_HOLDERS}.
     */
    byte gradUse;
    static final byte HELD = -1, HANDED_OUT = -2, MANY_HOLDERS = 100;

    Tensor(Shape shape, double[] data, Node node) {
        this.shape = shape;
        this.values = data;
        this.node = node;
        this.requiresGrad = node != null;
    }

    // ------------------------------------------------------------------ factories

    /** A {@code (1, 1)} tensor holding {@code value}. */
    public static Tensor scalar(double value) {
        return new Tensor(Shape.SCALAR, new double[] {value}, null);
    }

    /**
     * A tensor with a copy of {@code values}, one inner array per row.
     *
     * @throws IllegalArgumentException if there are no rows or columns, or rows differ in length
     */
    public static Tensor of(double[][] values) {
        Checks.notNull(values, "of", "values");
        Checks.argument(values.length > 0, "of: values must have at least one row");
        int cols = Checks.notNull(values[0], "of", "row 0").length;
        Checks.argument(cols > 0, "of: values must have at least one column");
        Shape shape = Shape.of("of", values.length, cols);
        double[] d = new double[shape.size()];
        for (int r = 0; r < values.length; r++) {
            double[] row = Checks.notNull(values[r], "of", "row " + r);
            Checks.argument(row.length == cols,
                    "of: ragged rows: row 0 has %d columns but row %d has %d; every row needs the same length",
                    cols, r, row.length);
            System.arraycopy(row, 0, d, r * cols, cols);
        }
        return new Tensor(shape, d, null);
    }

    /** A tensor of the given shape whose elements are a copy of {@code rowMajor}. */
    public static Tensor fromRowMajor(int rows, int cols, double[] rowMajor) {
        Checks.notNull(rowMajor, "fromRowMajor", "data");
        Shape s = Shape.of("fromRowMajor", rows, cols);
        Checks.argument(rowMajor.length == s.size(),
                "fromRowMajor: shape %s needs %d values, got %d", s, s.size(), rowMajor.length);
        return new Tensor(s, rowMajor.clone(), null);
    }

    /** A column vector {@code (n, 1)}. */
    public static Tensor column(double... values) {
        Checks.notNull(values, "column", "values");
        return fromRowMajor(values.length, 1, values);
    }

    /** A row vector {@code (1, n)}. */
    public static Tensor row(double... values) {
        Checks.notNull(values, "row", "values");
        return fromRowMajor(1, values.length, values);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int rows, int cols) {
        Shape s = Shape.of("zeros", rows, cols);
        return new Tensor(s, new double[s.size()], null);
    }

    /** A tensor of zeros with the given shape. */
    public static Tensor zeros(Shape shape) {
        return zeros(shape.rows(), shape.cols());
    }

    /** A tensor of ones. */
    public static Tensor ones(int rows, int cols) {
        return filled("ones", rows, cols, 1.0);
    }

    /** A tensor of ones with the given shape. */
    public static Tensor ones(Shape shape) {
        return full(shape.rows(), shape.cols(), 1.0);
    }

    /** A tensor whose every element is {@code value}. */
    public static Tensor full(int rows, int cols, double value) {
        return filled("full", rows, cols, value);
    }

    /** A new leaf of {@code value}s; the shape (checked against {@link Shape#MAX_SIZE}) comes first. */
    private static Tensor filled(String op, int rows, int cols, double value) {
        Shape s = Shape.of(op, rows, cols);
        double[] d = new double[s.size()];
        Arrays.fill(d, value);
        return new Tensor(s, d, null);
    }

    /** The {@code (n, n)} identity matrix. */
    public static Tensor eye(int n) {
        Tensor t = filled("eye", n, n, 0.0);
        for (int i = 0; i < n; i++) {
            t.values[i * n + i] = 1.0;
        }
        return t;
    }

    /** Standard normal samples, filled row-major: equals numpy's {@code np.random.randn(rows, cols)}. */
    public static Tensor randn(int rows, int cols, NumpyRandom random) {
        Checks.notNull(random, "randn", "random");
        Shape s = Shape.of("randn", rows, cols);
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.randn();
        }
        return new Tensor(s, d, null);
    }

    /** Uniform samples in [0, 1), filled row-major: equals numpy's {@code np.random.rand(rows, cols)}. */
    public static Tensor rand(int rows, int cols, NumpyRandom random) {
        Checks.notNull(random, "rand", "random");
        Shape s = Shape.of("rand", rows, cols);
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.rand();
        }
        return new Tensor(s, d, null);
    }

    /** A copy of an EJML matrix; the matrix backend stays behind this explicit conversion. */
    public static Tensor fromEjml(DMatrixRMaj matrix) {
        Checks.notNull(matrix, "fromEjml", "matrix");
        return fromRowMajor(matrix.numRows, matrix.numCols, Arrays.copyOf(matrix.data, matrix.numRows * matrix.numCols));
    }

    /**
     * The elements, row-major, for the engine's kernels to read (and, for a result being made or a
     * leaf changed in place, to write).
     *
     * @throws IllegalStateException if a closed {@link Step} released this tensor
     */
    double[] data() {
        double[] d = values;
        if (d == null) {
            throw new IllegalStateException(released());
        }
        return d;
    }

    /** Why a released tensor cannot be used, and what to do instead. */
    private String released() {
        return String.format(java.util.Locale.ROOT, "%s %s was computed inside a Step that has closed, which released"
                + " its storage for reuse; use it inside the step (read it with item() or toArray(), backpropagate"
                + " through it), or keep a copy made there with detach()", label(), shape);
    }

    /**
     * Fails like {@link #data()} if a closed {@link Step} released this tensor (for a backward pass,
     * which may reach a released tensor without reading its values).
     */
    void checkNotReleased() {
        if (values == null) {
            throw new IllegalStateException(released());
        }
    }

    /** Whether a closed {@link Step} released this tensor's storage. */
    boolean isReleased() {
        return values == null;
    }

    /**
     * Gives this result's storage to {@link SpareArrays} and makes any later use of it fail
     * (called by {@link Step#close}, once per tensor, for results recorded in the step). A result
     * that served as a gradient ({@link #gradUse} not 0) may be referenced elsewhere, so its storage
     * is only dropped.
     */
    void releaseStorage() {
        double[] d = values;
        values = null;
        if (d != null && gradUse == 0) {
            SpareArrays.give(d);
        }
    }

    /** Op results and internal constants: takes ownership of {@code data}. */
    static Tensor wrap(Shape shape, double[] data) {
        return new Tensor(shape, data, null);
    }

    // ------------------------------------------------------------------ accessors

    /** The shape {@code (rows, cols)}. */
    public Shape shape() {
        return shape;
    }

    /** Number of rows. */
    public int rows() {
        return shape.rows();
    }

    /** Number of columns. */
    public int cols() {
        return shape.cols();
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    /** The element at row {@code r}, column {@code c} (0-based). */
    public double get(int r, int c) {
        checkIndex("get", r, c);
        return data()[r * cols() + c];
    }

    /** The value of a {@code (1, 1)} tensor. */
    public double item() {
        if (!shape.isScalar()) { // the message is built only on failure
            Checks.argument(false, "item: %s has shape %s; only (1, 1) tensors have a single item",
                    name != null ? "tensor \"" + name + "\"" : "the tensor", shape);
        }
        return data()[0];
    }

    /** A copy of the elements, one array per row. */
    public double[][] toArray() {
        double[] d = data();
        double[][] out = new double[rows()][];
        for (int r = 0; r < rows(); r++) {
            out[r] = Arrays.copyOfRange(d, r * cols(), (r + 1) * cols());
        }
        return out;
    }

    /** A copy of the elements in row-major order. */
    public double[] toRowMajorArray() {
        return data().clone();
    }

    /** A copy as an EJML matrix. */
    public DMatrixRMaj toEjml() {
        return new DMatrixRMaj(rows(), cols(), true, data());
    }

    /** The name given with {@link #named}, or {@code null}. */
    public String name() {
        return name;
    }

    /** Gives this tensor a name, used by errors and graph drawings; returns this tensor. */
    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    /** The name in quotes, or the op that made this tensor, for messages. */
    String label() {
        if (name != null) {
            return "\"" + name + "\"";
        }
        return node != null ? "the result of " + node.op() : "a tensor";
    }

    /** Whether gradients flow to this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks this leaf as a variable whose gradient {@link #backward()} computes; returns this.
     *
     * @throws IllegalStateException if this tensor is the result of an operation
     */
    public Tensor requiringGrad() {
        if (node != null) {
            Checks.state(false, "requiringGrad: %s %s was computed by %s and already follows its inputs;"
                    + " only leaves (tensors created directly) can be marked",
                    name != null ? "\"" + name + "\"" : "the tensor", shape, node.op());
        }
        requiresGrad = true;
        return this;
    }

    /** Whether this tensor was created directly rather than computed by an operation. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The name of the operation that computed this tensor ({@code "mul"}), or {@code null} for a leaf. */
    public String op() {
        return node == null ? null : node.op();
    }

    /** The primitive that computed this tensor, or {@code null} for a leaf. */
    public Primitive primitive() {
        return node == null ? null : node.primitive;
    }

    /** How many times this tensor was changed in place. */
    public int version() {
        return version;
    }

    /** Whether a gradient was computed for this tensor. */
    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * {@code ∂output/∂this} from the last {@link #backward()} (accumulated across calls for
     * leaves), with this tensor's shape, named in the course's notation ({@code dW[1]} for
     * {@code W[1]}). It is this tensor's own copy.
     *
     * @throws IllegalStateException if no backward pass reached this tensor
     */
    public Tensor grad() {
        if (grad == null) {
            Checks.state(false, "grad: %s %s has no gradient; call backward() on a (1, 1) output computed"
                    + " from it%s", label(), shape, requiresGrad ? "" : " (and mark it with requiringGrad() first)");
        }
        grad.gradUse = HANDED_OUT;
        return grad;
    }

    /** The stored gradient or {@code null}, for the engine: not handed out (see {@link #grad()}). */
    Tensor storedGrad() {
        return grad;
    }

    /** Stores {@code g} as this tensor's gradient; the one it replaces, if never handed out, becomes spare storage. */
    void setGrad(Tensor g) {
        release(grad);
        grad = g;
    }

    /**
     * Forgets this tensor's gradient (before the next backward pass of a training step). A gradient
     * that {@link #grad()} never returned cannot be held by anyone, so its storage is kept for the
     * next backward pass on this thread to write into; one that was returned stays as it is.
     */
    public void zeroGrad() {
        release(grad);
        grad = null;
    }

    private static void release(Tensor g) {
        if (g != null && g.gradUse == HELD) {
            g.gradUse = HANDED_OUT; // released once only
            SpareArrays.give(g.data());
        }
    }

    /**
     * The row-major index of the first element of this tensor's gradient that is NaN or infinite,
     * or −1 when all are finite: a check a training loop can run every step, since it reads the
     * gradient without handing it out ({@link #grad()} would, and its storage would then never be
     * reused; see {@link #zeroGrad()}).
     *
     * @throws IllegalStateException if this tensor has no gradient
     */
    public int firstNonFiniteGradient() {
        if (grad == null) {
            Checks.state(false, "firstNonFiniteGradient: %s %s has no gradient", label(), shape);
        }
        double[] g = grad.data();
        for (int i = 0; i < g.length; i++) {
            if (!Double.isFinite(g[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code this += alpha · grad()} in place (leaves only; bumps the version), as plain gradient
     * descent updates a parameter ({@code θ ← θ − α·∂J/∂θ} is {@code addGradInPlace(−α)}), without
     * handing the gradient out: after {@link #zeroGrad()} its storage is reused by the next backward
     * pass instead of allocated again.
     *
     * @throws IllegalStateException if this tensor has no gradient or is not a leaf
     */
    public void addGradInPlace(double alpha) {
        if (grad == null) {
            Checks.state(false, "addGradInPlace: %s %s has no gradient; call backward() on a (1, 1) output computed"
                    + " from it%s", label(), shape, requiresGrad ? "" : " (and mark it with requiringGrad() first)");
        }
        mutate("addGradInPlace");
        double[] d = values, o = grad.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += alpha * o[i];
        }
    }

    /**
     * A new leaf with the same values that does not track gradients: gradients stop here.
     */
    public Tensor detach() {
        return new Tensor(shape, data().clone(), null).named(name);
    }

    /**
     * Checks every element is finite; returns this tensor.
     *
     * @throws IllegalArgumentException naming the first NaN or infinite element
     */
    public Tensor checkFinite() {
        double[] data = data();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                Checks.argument(false, "checkFinite: %s %s has %s at (%d, %d)",
                        label(), shape, data[i], i / cols(), i % cols());
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ in-place changes (leaves only)

    /** Sets one element in place (leaves only) and bumps the version. */
    public void set(int r, int c, double value) {
        checkIndex("set", r, c);
        mutate("set");
        values[r * cols() + c] = value;
    }

    /** Replaces all values with those of {@code source} (same shape) in place; bumps the version. */
    public void assign(Tensor source) {
        Checks.sameShape("assign", this, Checks.notNull(source, "assign", "source"));
        mutate("assign");
        System.arraycopy(source.data(), 0, values, 0, values.length);
    }

    /** {@code this += alpha · other} in place (same shape), as optimizers update parameters; bumps the version. */
    public void addInPlace(Tensor other, double alpha) {
        Checks.sameShape("addInPlace", this, Checks.notNull(other, "addInPlace", "other"));
        mutate("addInPlace");
        double[] d = values, o = other.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += alpha * o[i];
        }
    }

    private void mutate(String op) {
        if (node != null) {
            Checks.state(false, "%s: %s %s is the result of %s; only leaves can be changed in place",
                    op, label(), shape, node.op());
        }
        version++;
    }

    private void checkIndex(String op, int r, int c) {
        if (r < 0 || r >= rows() || c < 0 || c >= cols()) {
            throw new IndexOutOfBoundsException(String.format("%s: index (%d, %d) is outside %s %s",
                    op, r, c, label(), shape));
        }
    }

    // ------------------------------------------------------------------ backward

    /**
     * Computes {@code ∂this/∂t} for every tensor {@code t} this one was computed from, and
     * stores it in {@code t.grad()}.
     *
     * @throws IllegalArgumentException if this tensor is not {@code (1, 1)}; for a matrix output with a
     *     known upstream gradient use {@link #backward(Tensor)}
     * @throws IllegalStateException    if this tensor does not depend on any tensor that requires gradients
     */
    public void backward() {
        Autograd.backward(this);
    }

    /**
     * Backpropagates a given upstream gradient {@code dA = ∂J/∂A} through this tensor {@code A}, as
     * the course's step-by-step notebook does ({@code linear_backward(dZ, cache)}): for every tensor
     * {@code t} of the graph that tracks gradients, {@code t.grad()} receives
     * {@code ∂J/∂t = Σ_ij dA_ij · ∂A_ij/∂t}. For {@code Z = W·A_prev + b} with
     * {@code A_prev (n[l−1], m)} and {@code dZ (n[l], m)} this gives {@code dW = dZ·A_prevᵀ},
     * {@code db = Σ_columns dZ} {@code (n[l], 1)} and {@code dA_prev = Wᵀ·dZ}; the course's
     * {@code 1/m} belongs to the cost, so pass {@code dZ/m} to get its {@code dW}. With {@code dA}
     * all ones this is {@code sum().backward()}. Leaves add to the gradient they already hold.
     *
     * @param upstream {@code dA}, with exactly this tensor's shape; not modified
     * @throws IllegalArgumentException if {@code upstream}'s shape differs from this tensor's
     * @throws IllegalStateException    if this tensor does not depend on any tensor that requires gradients
     * @see Autograd#vjp(Tensor, Tensor, List, boolean) the same product returned instead of stored
     */
    public void backward(Tensor upstream) {
        Autograd.backward(this, upstream);
    }

    // ------------------------------------------------------------------ elementwise

    /** {@code this + other}, broadcasting. */
    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    /** {@code this + c}. */
    public Tensor add(double c) {
        return Elementwise.addScalar(this, c);
    }

    /** {@code this − other}, broadcasting; composed as {@code this + (−other)}. */
    public Tensor sub(Tensor other) {
        Checks.notNull(other, "sub", "other");
        Shape.broadcast("sub", shape, other.shape); // errors name the operation the user called, not its parts
        Composite.Call c = Recorder.enter(Composite.SUB);
        try {
            return add(other.neg());
        } finally {
            Recorder.exit(c);
        }
    }

    /** {@code this − c}. */
    public Tensor sub(double c) {
        return add(-c);
    }

    /** Elementwise (Hadamard) product {@code this ⊙ other}, broadcasting. */
    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    /** {@code c · this}. */
    public Tensor mul(double c) {
        return Elementwise.mulScalar(this, c);
    }

    /** Elementwise {@code this / other}, broadcasting; composed as {@code this ⊙ other^−1}. */
    public Tensor div(Tensor other) {
        Checks.notNull(other, "div", "other");
        Shape.broadcast("div", shape, other.shape); // errors name the operation the user called, not its parts
        Composite.Call c = Recorder.enter(Composite.DIV);
        try {
            return mul(other.pow(-1.0));
        } finally {
            Recorder.exit(c);
        }
    }

    /** {@code this / c}. */
    public Tensor div(double c) {
        return mul(1.0 / c);
    }

    /** {@code −this}. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** Elementwise {@code this^p} for a constant exponent; {@code ∂/∂x = p·x^(p−1)}. */
    public Tensor pow(double p) {
        return Elementwise.pow(this, p);
    }

    /** Elementwise {@code this^exponent} for positive bases, composed as {@code exp(exponent · log this)}. */
    public Tensor pow(Tensor exponent) {
        Checks.notNull(exponent, "pow", "exponent");
        Composite.Call c = Recorder.enter(Composite.POW);
        try {
            return exponent.mul(log()).exp();
        } finally {
            Recorder.exit(c);
        }
    }

    /** Elementwise {@code e^x}. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** Elementwise natural logarithm. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** Elementwise square root; the gradient {@code 1/(2√x)} is infinite at 0. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** Elementwise {@code |x|}; its gradient is {@code sign(x)}, 0 at 0. */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** Elementwise hyperbolic tangent; {@code ∂/∂x = 1 − tanh²x}. */
    public Tensor tanh() {
        return Elementwise.tanh(this);
    }

    /** Elementwise {@code σ(x) = 1/(1 + e^−x)}, computed without overflow; {@code ∂/∂x = σ(1 − σ)}. */
    public Tensor sigmoid() {
        return Elementwise.sigmoid(this);
    }

    /** Elementwise {@code max(x, 0)}; its gradient is 1 for {@code x > 0} and 0 otherwise (0 at 0). */
    public Tensor relu() {
        return Elementwise.leakyRelu(this, 0.0, Primitive.RELU);
    }

    /** Elementwise {@code x} for {@code x > 0}, else {@code alpha·x}; gradient {@code alpha} at 0. */
    public Tensor leakyRelu(double alpha) {
        return Elementwise.leakyRelu(this, alpha, Primitive.LEAKY_RELU);
    }

    /** Elementwise {@code x} for {@code x > 0}, else {@code alpha·(e^x − 1)}. */
    public Tensor elu(double alpha) {
        return Elementwise.elu(this, alpha);
    }

    /** Elementwise larger of two tensors, broadcasting; on ties the gradient goes to {@code this}. */
    public Tensor maximum(Tensor other) {
        return Elementwise.extremum(this, other, true);
    }

    /** Elementwise smaller of two tensors, broadcasting; on ties the gradient goes to {@code this}. */
    public Tensor minimum(Tensor other) {
        return Elementwise.extremum(this, other, false);
    }

    /** Expands size-1 axes to {@code target} by repetition; its gradient sums back (the one place broadcasting is undone). */
    public Tensor expand(Shape target) {
        return Reductions.expand(this, target);
    }

    /** Sums this tensor down to {@code target}, which must expand to this shape: the adjoint of {@link #expand}. */
    public Tensor sumTo(Shape target) {
        Composite.Call c = Recorder.enter(Composite.SUM_TO);
        try {
            return Reductions.sumTo(this, target);
        } finally {
            Recorder.exit(c);
        }
    }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, {@code (1, 1)}. */
    public Tensor sum() {
        return Reductions.sumAll(this);
    }

    /**
     * The sum along {@code axis}: 0 sums down each column, giving a row {@code (1, m)}; 1 sums
     * across each row, giving a column {@code (n, 1)} (numpy's {@code keepdims=True}).
     *
     * <p><b>Without keepdims</b> numpy returns a rank-1 array, which chainrule does not have.
     * The result is what numpy's rank-1 array behaves as, or an error, never another number:
     * <ul>
     *   <li>axis 0: numpy's {@code (m,)} broadcasts as a row {@code (1, m)}, so the result is that
     *       row, the same as with keepdims: {@code x.sub(x.mean(0, false))} equals numpy's
     *       {@code x - x.mean(axis=0)} on every shape;</li>
     *   <li>axis 1: numpy's {@code (n,)} also broadcasts as a row, across the columns, so
     *       {@code x - x.mean(axis=1)} is an error in numpy for most shapes and silently subtracts
     *       along the wrong axis for square ones (the course's reason to avoid rank-1 arrays).
     *       chainrule refuses it: use {@code keepdims = true} for the {@code (n, 1)} column
     *       (the course's {@code np.sum(dZ, axis=1, keepdims=True)}).</li>
     * </ul>
     * A numpy rank-1 array's transpose is itself; chainrule's row is a real row, so
     * {@code transpose()} turns it into a column.
     *
     * <p>{@code ∂/∂x = g} expanded back to {@code x}'s shape.
     *
     * @throws IllegalArgumentException if {@code axis} is not 0 or 1, or is 1 without keepdims
     */
    public Tensor sum(int axis, boolean keepdims) {
        checkKeepdims("sum", axis, keepdims);
        return Reductions.sumAxis(this, axis);
    }

    /** The mean of all elements, {@code (1, 1)}. */
    public Tensor mean() {
        return sum().mul(1.0 / size());
    }

    /**
     * The mean along {@code axis}, {@code (1/n) Σ} over the {@code n} elements of the axis: a row
     * {@code (1, m)} for axis 0, a column {@code (n, 1)} for axis 1. Without keepdims, axis 0 gives
     * the same row and axis 1 is refused; see {@link #sum(int, boolean)}.
     *
     * @throws IllegalArgumentException if {@code axis} is not 0 or 1, or is 1 without keepdims
     */
    public Tensor mean(int axis, boolean keepdims) {
        checkKeepdims("mean", axis, keepdims);
        return Reductions.sumAxis(this, axis).mul(1.0 / shape.size(axis));
    }

    /**
     * The maximum along {@code axis}: a row {@code (1, m)} for axis 0, a column {@code (n, 1)}
     * for axis 1; without keepdims, axis 0 gives the same row and axis 1 is refused (see
     * {@link #sum(int, boolean)}). The gradient goes to the arg-max; on ties, to the first one
     * (lowest index).
     *
     * @throws IllegalArgumentException if {@code axis} is not 0 or 1, or is 1 without keepdims
     */
    public Tensor max(int axis, boolean keepdims) {
        checkKeepdims("max", axis, keepdims);
        return Reductions.maxAxis(this, axis);
    }

    /**
     * {@code log Σ e^x} along {@code axis}, computed as {@code m + log Σ e^(x−m)} with
     * {@code m} the maximum so that large inputs do not overflow; its gradient is the softmax.
     * A row {@code (1, m)} for axis 0, a column {@code (n, 1)} for axis 1; without keepdims, axis 0
     * gives the same row and axis 1 is refused (see {@link #sum(int, boolean)}).
     *
     * @throws IllegalArgumentException if {@code axis} is not 0 or 1, or is 1 without keepdims
     */
    public Tensor logSumExp(int axis, boolean keepdims) {
        checkKeepdims("logSumExp", axis, keepdims);
        Composite.Call c = Recorder.enter(Composite.LOG_SUM_EXP);
        try {
            Tensor m = stabilizer(axis);
            return sub(m).exp().sum(axis, true).log().add(m);
        } finally {
            Recorder.exit(c);
        }
    }

    /**
     * The maximum along {@code axis} as a constant, for shifting before {@code exp}: the shift
     * cancels mathematically, so it carries no gradient. An infinite maximum is replaced by 0,
     * so that a column of −∞ gives −∞ and a +∞ gives +∞ rather than ∞ − ∞ = NaN.
     */
    private Tensor stabilizer(int axis) {
        Tensor m = Reductions.maxAxis(this, axis).detach();
        m.internal = true;
        double[] md = m.data();
        for (int i = 0; i < md.length; i++) {
            if (Double.isInfinite(md[i])) {
                md[i] = 0;
            }
        }
        return m;
    }

    /**
     * {@code x − logSumExp(x)} along {@code axis} (0: per column, the class axis), computed as
     * {@code (x − m) − log Σ e^(x−m)} with {@code m} the maximum.
     */
    public Tensor logSoftmax(int axis) {
        Composite.Call c = Recorder.enter(Composite.LOG_SOFTMAX);
        try {
            Tensor shifted = sub(stabilizer(axis));
            return shifted.sub(shifted.exp().sum(axis, true).log());
        } finally {
            Recorder.exit(c);
        }
    }

    /**
     * {@code e^x / Σ e^x} along {@code axis} (0: per column, the class axis), computed as
     * {@code e^(x−m) / Σ e^(x−m)} with {@code m} the maximum, so large inputs do not overflow.
     */
    public Tensor softmax(int axis) {
        Composite.Call c = Recorder.enter(Composite.SOFTMAX);
        try {
            Tensor e = sub(stabilizer(axis)).exp();
            return e.div(e.sum(axis, true));
        } finally {
            Recorder.exit(c);
        }
    }

    /**
     * The one rule for reductions without keepdims: axis 0 is numpy's rank-1 result as it
     * broadcasts (a row), axis 1 has no faithful 2-D form and is refused.
     */
    private void checkKeepdims(String op, int axis, boolean keepdims) {
        Checks.axis(op, axis);
        if (!keepdims && axis != 0) {
            Checks.argument(false, "%s: axis 1 without keepdims would give numpy's rank-1 (%d,) from %s,"
                    + " which numpy broadcasts as a row, across the columns (so x - %s(x, axis=1) fails or subtracts"
                    + " along the wrong axis); chainrule has no rank-1 arrays; hint: use %s(1, true) for the (%d, 1)"
                    + " column, numpy's keepdims=True", op, rows(), shape, op, op, rows());
        }
    }

    // ------------------------------------------------------------------ shapes and matrices

    /** The matrix product {@code this · other}: {@code (n, k) · (k, m) → (n, m)}. */
    public Tensor matmul(Tensor other) {
        return MatMul.product(this, other, false, false);
    }

    /** The transpose, {@code (n, m) → (m, n)}. */
    public Tensor transpose() {
        return Structure.transpose(this);
    }

    /** The same elements in row-major order, in a new shape of the same size. */
    public Tensor reshape(int rows, int cols) {
        return Structure.reshape(this, Shape.of("reshape", rows, cols));
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), like numpy's {@code x[from:to, :]}. */
    public Tensor rows(int from, int to) {
        return Structure.slice(this, from, to, 0, cols());
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive), like numpy's {@code x[:, from:to]}. */
    public Tensor cols(int from, int to) {
        return Structure.slice(this, 0, rows(), from, to);
    }

    /** The columns at {@code indices}, in that order (repeats allowed), like numpy's {@code x[:, indices]}. */
    public Tensor selectColumns(int... indices) {
        return Structure.selectColumns(this, indices);
    }

    /**
     * Joins tensors along {@code axis}: 0 stacks rows (equal column counts), 1 places columns
     * side by side (equal row counts).
     */
    public static Tensor concat(int axis, Tensor... parts) {
        return Structure.concat(axis, List.of(Checks.notNull(parts, "concat", "parts")));
    }

    // ------------------------------------------------------------------ fused losses

    /**
     * Elementwise binary cross-entropy of labels {@code y} given logits {@code z = this},
     * {@code −y·log σ(z) − (1−y)·log(1−σ(z))}, computed as
     * {@code max(z, 0) − z·y + log(1 + e^−|z|)} so that any finite logit gives a finite value
     * and gradient. {@code ∂/∂z = σ(z) − y}, {@code ∂/∂y = −z}. Labels have the logits' shape
     * {@code (n, m)}, result too; nothing is broadcast.
     *
     * @throws IllegalArgumentException if the labels' shape differs from the logits' (see {@link Checks#labels})
     */
    public Tensor sigmoidCrossEntropyWithLogits(Tensor labels) {
        return Fused.sigmoidCrossEntropy(this, labels);
    }

    /**
     * Elementwise binary cross-entropy of labels {@code y} given probabilities {@code p = this}
     * (a sigmoid's output), {@code −y·log p − (1−y)·log(1−p)}, with each log floored at −100 as
     * PyTorch's {@code BCELoss} does: a saturated {@code p} (exactly 0 or 1) gives a large finite
     * loss, and the gradient {@code ∂/∂p = (p − y) / max(p(1 − p), 1e-12)} stays finite. Prefer
     * {@link #sigmoidCrossEntropyWithLogits} when the logits are at hand. Labels have the
     * probabilities' shape {@code (n, m)}, result too; nothing is broadcast.
     *
     * @throws IllegalArgumentException if the labels' shape differs from the probabilities' (see {@link Checks#labels})
     */
    public Tensor binaryCrossEntropy(Tensor labels) {
        return Fused.binaryCrossEntropy(this, labels);
    }

    /**
     * Per-column cross-entropy {@code −Σ_k y_k log softmax(z)_k} of label columns {@code y}
     * (one-hot or probabilities, same shape {@code (classes, m)}) given logits {@code z = this};
     * returns {@code (1, m)}. {@code ∂/∂z = softmax(z)·Σ_k y_k − y}, {@code ∂/∂y = −log softmax(z)}.
     *
     * @throws IllegalArgumentException if the labels' shape differs from the logits' (see {@link Checks#labels})
     */
    public Tensor softmaxCrossEntropyWithLogits(Tensor labels) {
        return Fused.softmaxCrossEntropy(this, labels);
    }

    // ------------------------------------------------------------------ printing

    /**
     * The name (if any), the shape and the values, numpy style; large matrices show their
     * first and last three rows and columns.
     */
    @Override
    public String toString() {
        return Format.tensor(this);
    }
}
