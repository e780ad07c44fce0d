package io.github.chainrule.viz;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import guru.nidi.graphviz.engine.EngineResult;
import guru.nidi.graphviz.engine.GraphvizEngine;
import guru.nidi.graphviz.engine.GraphvizException;
import guru.nidi.graphviz.engine.Options;
import guru.nidi.graphviz.engine.Rasterizer;
import io.github.chainrule.viz.graphviz.GraphvizModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Graphviz 16.1 (the {@code dot} layout and SVG output of {@code @viz-js/viz} 3.31.0's
 * WebAssembly build) run inside the JVM: the WebAssembly was translated to JVM bytecode at build
 * time by Chicory's compiler, so this engine needs no native library, no JavaScript engine and no
 * temporary file, and runs on any operating system and CPU with Java 11 or later.
 *
 * <p>The module was built with Emscripten and expects 25 imports from its JavaScript glue; they
 * are provided here as a minimal system: standard error is captured for error messages, every
 * file operation fails (Graphviz opens no file for a DOT text that names no image), time is the
 * JVM's clock, the time zone is UTC, and randomness is a fixed sequence so that the same DOT text
 * always gives the same SVG. Export and import names are those of this exact build (Emscripten
 * minifies them): the wasm file and this class change together.
 *
 * <p>Not thread-safe; {@link Engines} serializes every render. A trap inside Graphviz (an
 * {@code abort} or {@code exit}) discards the instance and the next render starts a fresh one.
 */
final class WasmGraphviz implements GraphvizEngine {
    private static final ValType I32 = ValType.I32, I64 = ValType.I64, F64 = ValType.F64;
    // Emscripten's errno values (negated for __syscall_* imports, positive for WASI-style fd_* imports).
    private static final int EBADF = 8, ENOENT = 44, ENOSYS = 52, ENOTTY = 59, ESPIPE = 70;

    private final StringBuilder messages = new StringBuilder();
    private Instance instance;
    private long random;

    @Override
    public void init(Consumer<GraphvizEngine> onOk, Consumer<GraphvizEngine> onError) {
        try {
            instance();
            onOk.accept(this);
        } catch (RuntimeException | LinkageError e) {
            onError.accept(this);
        }
    }

    /** The running module, started on first use (about 0.2 s: the bytecode is loaded, not compiled). */
    private Instance instance() {
        if (instance == null) {
            Instance started = Instance.builder(GraphvizModule.load()).withImportValues(imports())
                    .withMachineFactory(GraphvizModule::create).build();
            started.export("A").apply(); // Emscripten's __wasm_call_ctors: C static initialisers
            instance = started;
        }
        return instance;
    }

    @Override
    public EngineResult execute(String src, Options options, Rasterizer rasterizer) {
        if (options != null && options.format != null && !"svg".equalsIgnoreCase(options.format.fileExtension)) {
            throw new GraphvizException("the bundled Graphviz engine writes SVG only, not " + options.format
                    + " (chainrule rasterizes PNG from the SVG)");
        }
        String layout = options != null && options.engine != null ? options.engine.name().toLowerCase(java.util.Locale.ROOT) : "dot";
        try {
            return EngineResult.fromString(render(src, layout));
        } catch (GraphvizException e) {
            throw e;
        } catch (RuntimeException e) {
            instance = null; // a trap leaves the C heap in an unknown state
            throw new GraphvizException("Graphviz stopped: " + e.getMessage() + describeMessages(), e);
        }
    }

    /** Renders DOT text to SVG with the given layout ({@code dot}); the steps of viz-js's {@code renderInput}. */
    String render(String dot, String layout) {
        Instance in = instance();
        messages.setLength(0);
        random = 0; // the same fixed sequence for every render
        ExportFunction free = in.export("E");
        int source = cString(in, dot), engineName = cString(in, layout), format = cString(in, "svg");
        int graph = 0, context = 0;
        try {
            graph = (int) in.export("I").apply(source)[0];                     // viz_read_one_graph
            if (graph == 0) {
                throw new GraphvizException("Graphviz could not read the DOT text" + describeMessages());
            }
            in.export("B").apply(0);                                            // viz_set_y_invert
            in.export("C").apply(0);                                            // viz_set_reduce
            context = (int) in.export("V").apply()[0];                          // viz_create_context
            in.export("Z").apply();                                             // viz_reset_errors
            if (in.export("X").apply(context, graph, engineName)[0] != 0) {    // viz_layout
                throw new GraphvizException("Graphviz could not lay out the graph" + describeMessages());
            }
            int result = (int) in.export("_").apply(context, graph, format)[0]; // viz_render
            if (result == 0) {
                throw new GraphvizException("Graphviz could not write SVG" + describeMessages());
            }
            String svg = in.memory().readCString(result);
            free.apply(result);
            return svg;
        } finally {
            if (context != 0 && graph != 0) {
                in.export("Y").apply(context, graph);                           // viz_free_layout
            }
            if (graph != 0) {
                in.export("U").apply(graph);                                    // viz_free_graph
            }
            if (context != 0) {
                in.export("W").apply(context);                                  // viz_free_context
            }
            free.apply(source);
            free.apply(engineName);
            free.apply(format);
        }
    }

    /** Graphviz's own messages of the last render (warnings and errors), or "". */
    String messages() {
        return messages.toString().trim();
    }

    private String describeMessages() {
        String m = messages();
        return m.isEmpty() ? "" : ": " + m.replace('\n', ' ');
    }

    /** Copies {@code s} as a NUL-terminated UTF-8 string into memory from Graphviz's malloc. */
    private static int cString(Instance in, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int p = (int) in.export("F").apply(bytes.length + 1)[0];               // malloc
        if (p == 0) {
            throw new GraphvizException("Graphviz is out of memory (" + bytes.length + " bytes of input)");
        }
        in.memory().write(p, bytes);
        in.memory().writeByte(p + bytes.length, (byte) 0);
        return p;
    }

    @Override
    public void close() {
        instance = null;
    }

    // ------------------------------------------------------------------ the module's imports

    private ImportValues imports() {
        return ImportValues.builder().addFunction(
                fn("a", List.of(I32, I32, I32, I32), List.of(), (in, a) -> { // __assert_fail(cond, file, line, func)
                    throw new IllegalStateException("assertion failed in Graphviz: " + in.memory().readCString((int) a[0])
                            + " (" + in.memory().readCString((int) a[1]) + ":" + a[2] + ")");
                }),
                fn("b", List.of(I32, I32, I32), List.of(), (in, a) -> {
                    throw new IllegalStateException("C++ exception in Graphviz");
                }),
                fn("c", List.of(I32), List.of(), (in, a) -> { // exit(status)
                    throw new IllegalStateException("exit(" + a[0] + ")");
                }),
                fn("d", List.of(I32, I32, I32, I32), List.of(I32), this::fdWrite),
                fn("e", List.of(I32), List.of(I32), (in, a) -> ok()),                      // fd_close
                fn("f", List.of(I32, I32, I32), List.of(I32), (in, a) -> ok()),            // __syscall_fcntl64
                fn("g", List.of(), List.of(F64), (in, a) ->                                 // emscripten_date_now
                        new long[] {Double.doubleToRawLongBits(System.currentTimeMillis())}),
                fn("h", List.of(), List.of(), (in, a) -> {                                  // _abort_js
                    throw new IllegalStateException("abort() in Graphviz");
                }),
                fn("i", List.of(I32, I32, I32, I32), List.of(I32), (in, a) -> ret(EBADF)), // fd_read
                fn("j", List.of(I32, I32, I32), List.of(I32), (in, a) -> ret(-ENOTTY)),   // __syscall_ioctl
                fn("k", List.of(I32), List.of(I32), WasmGraphviz::resizeHeap),
                fn("l", List.of(I32, I32, I32, I32), List.of(I32), (in, a) -> ret(-ENOENT)), // __syscall_openat
                fn("m", List.of(I32, I32, I32, I32, I64, I32, I32), List.of(I32), (in, a) -> ret(-ENOSYS)), // _mmap_js
                fn("n", List.of(I32, I32, I32, I32, I32, I64), List.of(I32), (in, a) -> ret(-ENOSYS)), // _munmap_js
                fn("o", List.of(I64, I32), List.of(I32), (in, a) -> { // _localtime_js(time, struct tm*): UTC
                    in.memory().fill((byte) 0, (int) a[1], (int) a[1] + 44);
                    return ok();
                }),
                fn("p", List.of(I32), List.of(I32), (in, a) -> {                           // viz_errorf(text)
                    messages.append(in.memory().readCString((int) a[0]));
                    return ok();
                }),
                fn("q", List.of(I32, I32, I32, I32), List.of(), (in, a) -> { // _tzset_js: UTC, no daylight saving
                    Memory m = in.memory();
                    m.writeI32((int) a[0], 0);
                    m.writeI32((int) a[1], 0);
                    m.writeCString((int) a[2], "UTC");
                    m.writeCString((int) a[3], "UTC");
                    return null;
                }),
                fn("r", List.of(I32, I64, I32, I32), List.of(I32), (in, a) -> ret(ESPIPE)), // fd_seek
                fn("s", List.of(I32, I32), List.of(I32), (in, a) -> ok()),                  // environ_get
                fn("t", List.of(I32, I32), List.of(I32), (in, a) -> {                       // environ_sizes_get: empty
                    in.memory().writeI32((int) a[0], 0);
                    in.memory().writeI32((int) a[1], 0);
                    return ok();
                }),
                fn("u", List.of(I32, I32), List.of(I32), this::randomGet),
                fn("v", List.of(I32, I32, I32, I32), List.of(I32), (in, a) -> ret(-ENOENT)), // __syscall_newfstatat
                fn("w", List.of(I32, I32), List.of(I32), (in, a) -> ret(-EBADF)),            // __syscall_fstat64
                fn("x", List.of(I32, I64, I32), List.of(I32), (in, a) -> {                   // clock_time_get
                    in.memory().writeLong((int) a[2], System.nanoTime());
                    return ok();
                }),
                fn("y", List.of(I32, I32, I32, I32), List.of(I32), (in, a) -> ret(-ENOENT))  // __syscall_faccessat
        ).build();
    }

    /** fd_write(fd, iov, iovcnt, *written): keeps what Graphviz writes to stdout or stderr as messages. */
    private long[] fdWrite(Instance in, long... a) {
        Memory m = in.memory();
        int iov = (int) a[1], count = (int) a[2], total = 0;
        for (int k = 0; k < count; k++) {
            int ptr = m.readInt(iov + 8 * k), len = m.readInt(iov + 8 * k + 4);
            if (a[0] == 1 || a[0] == 2) {
                messages.append(new String(m.readBytes(ptr, len), StandardCharsets.UTF_8));
            }
            total += len;
        }
        m.writeI32((int) a[3], total);
        return ok();
    }

    /** random_get(buffer, size): a fixed SplitMix64 sequence, so renders are reproducible. */
    private long[] randomGet(Instance in, long... a) {
        Memory m = in.memory();
        for (int k = 0; k < (int) a[1]; k++) {
            random += 0x9E3779B97F4A7C15L;
            long z = (random ^ (random >>> 30)) * 0xBF58476D1CE4E5B9L;
            m.writeByte((int) a[0] + k, (byte) (z ^ (z >>> 31)));
        }
        return ok();
    }

    /** emscripten_resize_heap(requested bytes): grows linear memory to at least that size; 1 on success. */
    private static long[] resizeHeap(Instance in, long... a) {
        Memory m = in.memory();
        long want = a[0] & 0xFFFFFFFFL, have = (long) m.pages() * 65536;
        if (want <= have) {
            return ret(1);
        }
        int pages = (int) ((want - have + 65535) / 65536);
        return ret(m.grow(pages) < 0 ? 0 : 1);
    }

    private static HostFunction fn(String name, List<ValType> params, List<ValType> results, WasmFunctionHandle h) {
        return new HostFunction("a", name, FunctionType.of(params, results), h);
    }

    private static long[] ok() {
        return ret(0);
    }

    private static long[] ret(long v) {
        return new long[] {v};
    }
}
