package io.github.chainrule.nn.io;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import io.github.chainrule.nn.io.FileLayout.Entry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes tensors in the safetensors format:
 * <pre>
 *   bytes 0..7      N, the header length, unsigned 64-bit little-endian
 *   bytes 8..8+N    the header: UTF-8 JSON, padded with spaces, e.g.
 *                   {"__metadata__": {"chainrule.model": "Mlp", ...},
 *                    "hidden1.W": {"dtype": "F64", "shape": [4, 2], "data_offsets": [0, 64]}, ...}
 *   bytes 8+N..     the data section: each tensor's elements in row-major order as
 *                   little-endian IEEE-754 doubles, at [begin, end) relative to the section
 * </pre>
 * numpy reads a tensor with {@code np.frombuffer(data[begin:end], '<f8').reshape(shape)}, PyTorch
 * with {@code safetensors.torch.load_file}.
 *
 * <p><b>Writing</b> ({@link #save(Module, Path, Map)}) goes to a temporary file in the target's
 * directory, forced to disk, then renamed over the target atomically
 * ({@code ATOMIC_MOVE}, or {@code REPLACE_EXISTING} where the file system cannot), so a crash
 * during a save leaves the previous file intact. The data is written in chunks of 1 MiB (a save needs
 * no second copy of the model). The header is padded to a multiple of 8 bytes so that the data is
 * aligned for zero-copy readers. Errors name the target, never the temporary file. The temporary file is
 * {@code .<name>.<token>.tmp}, with the name shortened (and a hash of it added) when the whole would exceed
 * 255 bytes, so any name the file system accepts can be saved to. A process killed during a save cannot
 * remove its temporary file; the next save of the same target does: it deletes the regular files named by
 * that target's temporary pattern, last modified before it started and not locked by a save still running
 * (each save locks its temporary file until the rename), and nothing else.
 *
 * <p><b>Reading</b> validates everything before returning anything: the header length against
 * the file size and {@link #MAX_HEADER_BYTES}; the header's bytes as strict UTF-8; the JSON (strict:
 * no duplicate keys, nothing after the object; errors give the byte offset of the problem); every
 * entry's {@code dtype} ({@code F64} only), {@code shape} (two positive sizes), {@code data_offsets}
 * (agreeing with the shape); that the tensors cover the data section exactly, without gaps, overlaps
 * or trailing bytes; and, for {@link #load}, that names and shapes match the model's parameters. Any
 * problem raises a {@link ModelFileException} naming the file, the problem and the byte offset, and
 * {@link #load} then leaves the model untouched.
 *
 * <p><b>Memory.</b> The header is streamed from the file: its padding costs nothing, and a header whose
 * content could not be parsed in the heap left (up to {@value #HEADER_HEAP_FACTOR} bytes per byte, for
 * one long metadata string) is refused with a {@link ModelFileException} before anything is allocated for
 * it. Metadata strings may be as long as the header allows. The tensors are read in chunks of 1 MiB
 * straight into new tensors: {@link #read} needs about the data section's size in heap, {@link #load}
 * that much besides the model (measured with a 64 MiB file: {@link #read} succeeds with {@code -Xmx} 1.06
 * times the file size, {@link #load} with 2.05 times, the model included).
 *
 * <p><b>NaN and infinities</b> are data like any other: they are saved and, by default, loaded bit for
 * bit, so a model that diverged can be saved and inspected. {@link NonFinite#REJECT} refuses a file holding
 * any, naming the tensor, the element and its byte offset, before the model changes.
 */
public final class SafeTensors {
    /** The largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The metadata key holding the model's class name. */
    public static final String MODEL_KEY = "chainrule.model";
    /** The metadata key listing the parameters with their shapes, in order. */
    public static final String PARAMETERS_KEY = "chainrule.parameters";

    /**
     * Heap that parsing {@code content} bytes of JSON may need at worst: a string that long is buffered as chars
     * (2 bytes each) by the parser, gathered once more and kept as a String (up to 2 bytes per char). Used by
     * {@link HeaderReader}; kept here because the class documentation quotes it.
     */
    static final int HEADER_HEAP_FACTOR = 6;

    private SafeTensors() {
    }

    /** The tensors and metadata of a file, both in file order. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ------------------------------------------------------------------ writing

    /**
     * Saves {@code model.state()} (parameters and buffers) to {@code file} atomically, with metadata
     * {@code chainrule.model} (the model's class), {@code chainrule.parameters} (names and
     * shapes) and then {@code metadata} (e.g. {@code history.toMetadata()}), which may override them.
     *
     * @throws IOException if the file cannot be written; the previous file, if any, is then unchanged
     */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        Checks.notNull(model, "SafeTensors.save", "model");
        Map<String, Tensor> params = model.state();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(MODEL_KEY, model.getClass().getName());
        meta.put(PARAMETERS_KEY, describe(params));
        if (metadata != null) {
            meta.putAll(metadata);
        }
        save(params, file, meta);
    }

    /** Saves {@code model.state()} with the default metadata only. */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Saves named tensors to {@code file} atomically, in the map's order, with {@code metadata}
     * ({@code null} for none).
     *
     * @throws IllegalArgumentException if there are no tensors, a name is empty or {@code "__metadata__"},
     *                                  or a metadata key or value is null
     * @throws IOException              if the file cannot be written; the message names {@code file} (never
     *                                  the temporary file) and the previous file is unchanged
     */
    public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        Checks.notNull(tensors, "SafeTensors.save", "tensors");
        Checks.notNull(file, "SafeTensors.save", "file");
        Checks.argument(!tensors.isEmpty(), "SafeTensors.save: no tensors to save to %s", file);
        TensorWriter.write(tensors, file, metadata);
    }

    private static String describe(Map<String, Tensor> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((n, t) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(t.shape()));
        return b.toString();
    }

    // ------------------------------------------------------------------ reading

    /**
     * What reading does with NaN and ±Infinity values. A file is a faithful copy of what was saved, so by default
     * ({@link #ALLOW}) they load as they are, bit for bit (a diverged model loads as it diverged); {@link #REJECT}
     * refuses such a file before the model changes.
     */
    public enum NonFinite {
        /** Load NaN and ±Infinity as saved (the default of {@link #load(Module, Path)} and {@link #read(Path)}). */
        ALLOW,
        /** Refuse the file with a {@link ModelFileException} naming the tensor, the element and its byte offset. */
        REJECT
    }

    /**
     * Loads {@code file} into {@code model}'s parameters and buffers ({@link Module#state()}): the
     * file must hold exactly those names with the same shapes. Everything is validated before any
     * tensor changes. NaN and ±Infinity load as saved; use {@link #load(Module, Path, NonFinite)}
     * with {@link NonFinite#REJECT} to refuse them.
     *
     * @return the file's metadata
     * @throws ModelFileException if the file is invalid or does not match the model (which is then unchanged)
     * @throws IOException        if the file cannot be read
     */
    public static Map<String, String> load(Module model, Path file) throws IOException {
        return load(model, file, NonFinite.ALLOW);
    }

    /**
     * Like {@link #load(Module, Path)}, choosing what NaN and ±Infinity values do.
     *
     * <p>Memory: the header is parsed as a stream (its padding costs nothing) and the tensors are read
     * in chunks of 1 MiB straight into new tensors, which are copied into the model only once all of them
     * have been read and checked; a load therefore needs about the size of the data section in heap besides
     * the model itself.
     *
     * @return the file's metadata
     * @throws ModelFileException if the file is invalid, does not match the model, or (with
     *                            {@link NonFinite#REJECT}) holds a NaN or infinite value; the model is then unchanged
     * @throws IOException        if the file cannot be read
     */
    public static Map<String, String> load(Module model, Path file, NonFinite nonFinite) throws IOException {
        Checks.notNull(model, "SafeTensors.load", "model");
        Checks.notNull(nonFinite, "SafeTensors.load", "nonFinite");
        Map<String, Tensor> params = model.state();
        Map<String, Tensor> staged;
        Map<String, String> metadata;
        try (FileChannel ch = open(file)) {
            FileLayout layout = HeaderReader.read(file, ch);
            Map<String, Entry> byName = new LinkedHashMap<>();
            layout.entries().forEach(e -> byName.put(e.name(), e));
            List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
            params.keySet().forEach(n -> {
                if (!byName.containsKey(n)) {
                    missing.add(n + " " + params.get(n).shape());
                }
            });
            byName.keySet().forEach(n -> {
                if (!params.containsKey(n)) {
                    unexpected.add(n);
                }
            });
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new ModelFileException(file, -1, "tensors do not match the model "
                        + model.getClass().getSimpleName() + " (parameters: " + describe(params) + "):"
                        + (missing.isEmpty() ? "" : " missing " + String.join(", ", missing) + ";")
                        + (unexpected.isEmpty() ? "" : " not in the model " + String.join(", ", unexpected) + ";"));
            }
            for (var e : params.entrySet()) {
                Entry in = byName.get(e.getKey());
                Shape inFile = new Shape(in.rows(), in.cols());
                if (!inFile.equals(e.getValue().shape())) {
                    throw new ModelFileException(file, -1, "tensor \"" + e.getKey() + "\" has shape " + inFile
                            + " in the file but the model's parameter is " + e.getValue().shape());
                }
            }
            staged = TensorReader.read(file, ch, layout, nonFinite);
            metadata = layout.metadata();
        }
        try (var scope = Grad.disabled()) {
            params.forEach((n, p) -> p.assign(staged.get(n)));
        }
        return metadata;
    }

    /**
     * Reads and validates a whole file; NaN and ±Infinity are read as saved.
     *
     * @throws ModelFileException if the file is not a valid safetensors file of F64 matrices
     * @throws IOException        if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        return read(file, NonFinite.ALLOW);
    }

    /**
     * Reads and validates a whole file, choosing what NaN and ±Infinity values do. The tensors are read
     * in chunks straight into the returned tensors: no copy of the file is held in memory.
     *
     * @throws ModelFileException if the file is not a valid safetensors file of F64 matrices, or (with
     *                            {@link NonFinite#REJECT}) holds a NaN or infinite value
     * @throws IOException        if the file cannot be read
     */
    public static Contents read(Path file, NonFinite nonFinite) throws IOException {
        Checks.notNull(file, "SafeTensors.read", "file");
        Checks.notNull(nonFinite, "SafeTensors.read", "nonFinite");
        try (FileChannel ch = open(file)) {
            FileLayout layout = HeaderReader.read(file, ch);
            return new Contents(Collections.unmodifiableMap(TensorReader.read(file, ch, layout, nonFinite)),
                    Collections.unmodifiableMap(layout.metadata()));
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Checks.notNull(file, "SafeTensors", "file");
        if (Files.isDirectory(file)) {
            throw new ModelFileException(file, -1, "is a directory, not a safetensors file; hint: name the model"
                    + " file inside it, e.g. " + file.resolve("model.safetensors"));
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    // ------------------------------------------------------------------ kept here for the tests

    /** The stem of a save's temporary file names; see {@link AtomicFileWriter#tmpStem}. */
    static String tmpStem(String targetName) {
        return AtomicFileWriter.tmpStem(targetName);
    }

    /** Whether {@code name} is a temporary file of a save; see {@link AtomicFileWriter#isTemporaryOf}. */
    static boolean isTemporaryOf(String name, String stem) {
        return AtomicFileWriter.isTemporaryOf(name, stem);
    }

    /** A JSON parser's message in the words of a model file; see {@link HeaderReader#jacksonProblem}. */
    static String jacksonProblem(String message) {
        return HeaderReader.jacksonProblem(message);
    }
}
