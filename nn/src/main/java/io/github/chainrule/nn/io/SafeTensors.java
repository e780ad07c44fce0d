package io.github.chainrule.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Grad;
import io.github.chainrule.autodiff.Shape;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private static final String METADATA = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    // the header's own limit bounds every string in it: a long metadata value is legal
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) MAX_HEADER_BYTES)
                            .maxNameLength((int) MAX_HEADER_BYTES)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

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
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach((k, v) -> {
                Checks.argument(k != null && v != null, "SafeTensors.save: metadata keys and values must not be null,"
                        + " got %s -> %s", k, v);
                meta.put(k, v);
            });
        }
        long offset = 0;
        List<Tensor> order = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            Checks.argument(name != null && !name.isEmpty() && !name.equals(METADATA), "SafeTensors.save: tensor name"
                    + " \"%s\" is not allowed (empty or reserved)", name);
            Checks.notNull(t, "SafeTensors.save", "tensor \"" + name + "\"");
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", "F64");
            entry.putArray("shape").add(t.rows()).add(t.cols());
            long end = offset + 8L * t.size();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
            order.add(t);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // pad with spaces (allowed by the format) so the data section starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        writeAtomically(file, ch -> {
            write(ch, head);
            // the data in chunks: a save needs no second copy of the model in memory
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : order) {
                for (int r = 0; r < t.rows(); r++) {
                    for (int c = 0; c < t.cols(); c++) {
                        if (!chunk.hasRemaining()) {
                            write(ch, chunk.flip());
                            chunk.clear();
                        }
                        chunk.putDouble(t.get(r, c));
                    }
                }
            }
            write(ch, chunk.flip());
        });
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private interface Writer {
        void writeTo(FileChannel ch) throws IOException;
    }

    /** Bytes per read or write of the data section. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** The longest file name (one path component) that common file systems accept, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    private static final int TOKEN_CHARS = 13;   // Long.toUnsignedString(x, 36) has at most 13 characters
    private static final String TMP_SUFFIX = ".tmp";

    /**
     * The temporary files of a save to {@code targetName} are named {@code "." + stem + "." + token + ".tmp"},
     * with a base-36 token of 1 to 13 characters. The stem is the target's name or, when that would make the
     * temporary name longer than {@value #MAX_NAME_BYTES} bytes, the longest prefix of it that fits followed by
     * {@code "~"} and 8 hex digits of a CRC-32 of the whole name (so two long names rarely share a stem).
     */
    static String tmpStem(String targetName) {
        int room = MAX_NAME_BYTES - 2 - TOKEN_CHARS - TMP_SUFFIX.length();
        byte[] utf8 = targetName.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= room) {
            return targetName;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(utf8);
        String hash = String.format("~%08x", crc.getValue());
        int budget = room - hash.length(), bytes = 0, end = 0;
        while (end < targetName.length()) {
            int cp = targetName.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > budget) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return targetName.substring(0, end) + hash;
    }

    /** Whether {@code name} is one of our temporary files for a target with this stem. */
    static boolean isTemporaryOf(String name, String stem) {
        String prefix = "." + stem + ".";
        if (!name.startsWith(prefix) || !name.endsWith(TMP_SUFFIX)) {
            return false;
        }
        String token = name.substring(prefix.length(), name.length() - TMP_SUFFIX.length());
        return token.matches("[0-9a-z]{1," + TOKEN_CHARS + "}");
    }

    private static void writeAtomically(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String stem = tmpStem(target.getFileName().toString());
        java.nio.file.attribute.FileTime started = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        removeStaleTemporaries(dir, stem, started);
        // CREATE_NEW rather than createTempFile: the file gets the usual permissions, not owner-only
        Path tmp = dir.resolve("." + stem + "." + Long.toUnsignedString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + TMP_SUFFIX);
        WRITING.add(tmp);
        try {
            // locked until renamed: another save's clean-up skips a temporary whose save is still running
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                 java.nio.channels.FileLock lock = ch.lock()) {
                writer.writeTo(ch);
                ch.force(true);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw saveError(target, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        } finally {
            WRITING.remove(tmp);
        }
        // make the rename itself durable where the platform can open a directory
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel; the rename is then as durable as the OS makes it
        }
    }

    /**
     * Deletes temporary files that an earlier save of the same target left behind when its process was killed:
     * only regular files named by our pattern for this target ({@link #isTemporaryOf}), last modified before
     * this save started, and not locked: a save holds a lock on its temporary file until the rename (the OS
     * releases it when the process dies), so a save of another file, or one of the same file still running in
     * this or another process, is never touched.
     */
    private static void removeStaleTemporaries(Path dir, String stem, java.nio.file.attribute.FileTime started) {
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> isTemporaryOf(p.getFileName().toString(), stem))) {
            for (Path p : entries) {
                try {
                    var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile() && attrs.lastModifiedTime().compareTo(started) < 0) {
                        deleteIfUnlocked(p);
                    }
                } catch (IOException ignored) {
                    // another process removed it first, or we may not: the save itself does not depend on it
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // the directory cannot be listed (missing, not readable): the save itself reports the real problem
        }
    }

    /**
     * The temporary files this JVM is writing. Their saves hold OS locks, but a clean-up in the same
     * JVM must not even open them: on POSIX systems closing any channel of a file releases every lock
     * the process holds on it.
     */
    private static final java.util.Set<Path> WRITING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Deletes {@code p} unless a running save holds it (in this JVM, or its lock in another process). */
    private static void deleteIfUnlocked(Path p) throws IOException {
        if (WRITING.contains(p.toAbsolutePath())) {
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.tryLock()) {
            if (lock != null) {
                Files.deleteIfExists(p);
            }
        } catch (java.nio.channels.OverlappingFileLockException running) {
            // a save in this JVM holds it
        }
    }

    private static void deleteQuietly(Path tmp, Throwable e) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /** An exception naming the target of a failed save (never the temporary file), with the cause attached. */
    private static IOException saveError(Path target, IOException e) {
        Path dir = target.getParent();
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String unchanged = "; the previous file, if any, is unchanged";
        IOException out;
        if (e instanceof java.nio.file.NoSuchFileException && !Files.isDirectory(dir)) {
            out = new java.nio.file.NoSuchFileException(target.toString(), null, "cannot save the model: the directory "
                    + dir + " does not exist; hint: create it first, e.g. Files.createDirectories(file.getParent())");
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            out = new java.nio.file.AccessDeniedException(target.toString(), null, "cannot save the model: permission"
                    + " denied (a save writes a new file in " + dir + " and renames it over this one)" + unchanged);
        } else if (Files.isDirectory(target)) {
            out = new java.nio.file.FileSystemException(target.toString(), null, "cannot save the model: this is a"
                    + " directory; hint: name a file inside it, e.g. " + target.resolve("model.safetensors"));
        } else {
            out = new java.nio.file.FileSystemException(target.toString(), null, "cannot save the model: " + reason
                    + unchanged);
        }
        out.initCause(e);
        return out;
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
            Layout layout = layout(file, ch);
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
            staged = tensors(file, ch, layout, nonFinite);
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
            Layout layout = layout(file, ch);
            return new Contents(Collections.unmodifiableMap(tensors(file, ch, layout, nonFinite)),
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

    /** The validated structure of a file: its tensors in file order, its metadata, where the data section lies. */
    private record Layout(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /** Reads {@code buf.remaining()} bytes at {@code position}, or fails naming the file and the offset. */
    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new ModelFileException(file, at, "the file ended at byte " + at + " (it changed size while"
                        + " being read)");
            }
            at += n;
        }
    }

    private static Layout layout(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new ModelFileException(file, size, "file is " + size + " bytes; a safetensors file starts with an"
                    + " 8-byte header length");
        }
        ByteBuffer first = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        first.limit(size > 8 ? 9 : 8);
        readFully(file, ch, first, 0);
        long n = first.getLong(0);
        String nText = Long.toUnsignedString(n);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFileException(file, 0, "header length " + nText + " exceeds the maximum of "
                    + MAX_HEADER_BYTES + " bytes (corrupt length or not a safetensors file)");
        }
        if (8 + n > size) {
            throw new ModelFileException(file, 0, "header length " + nText + " runs past the end of the file ("
                    + size + " bytes; the file is truncated or the length is corrupt)");
        }
        if (n < 2 || first.get(8) != '{') {
            throw new ModelFileException(file, 8, "header does not start with '{' (not a safetensors file)");
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        long content = scanHeader(file, ch, n);
        JsonNode root = parseHeader(file, ch, content);
        if (root == null || !root.isObject()) {
            throw new ModelFileException(file, 8, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA)) {
                if (!value.isObject()) {
                    throw header(file, "\"__metadata__\" must be an object of strings, got " + kind(value));
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = value.fields(); m.hasNext();) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw header(file, "\"__metadata__\" value of \"" + kv.getKey() + "\" must be a string, got "
                                + kind(kv.getValue()));
                    }
                    metadata.put(kv.getKey(), kv.getValue().textValue());
                }
                continue;
            }
            entries.add(entry(file, name, value));
        }
        if (entries.isEmpty()) {
            throw header(file, "header lists no tensors");
        }
        // the data section must be covered exactly: sort by start, then each begins where the last ended
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw new ModelFileException(file, dataStart + Math.min(e.begin, expected), "tensor \"" + e.name
                        + "\" starts at data byte " + e.begin + " but "
                        + (previous == null ? "the data section starts at 0" : "\"" + previous + "\" ends at " + expected)
                        + (e.begin > expected ? " (gap)" : " (overlap)"));
            }
            if (e.end > dataLength) {
                throw new ModelFileException(file, dataStart + Math.min(e.begin, dataLength), "tensor \"" + e.name
                        + "\" ends at data byte " + e.end + " but the data section has only " + dataLength
                        + " bytes (the file is truncated)");
            }
            expected = e.end;
            previous = e.name;
        }
        if (expected != dataLength) {
            throw new ModelFileException(file, dataStart + expected, "the tensors cover " + expected + " bytes of"
                    + " data but the data section has " + dataLength + " (" + (dataLength - expected)
                    + " trailing bytes)");
        }
        return new Layout(entries, metadata, dataStart);
    }

    /**
     * Checks the header's {@code n} bytes as a stream, without holding them: strict UTF-8 (the format requires it;
     * the error names the first byte of the bad sequence) and no NUL byte (a UTF-16 header, which a lenient JSON
     * reader would guess and accept). Returns the header's length without its trailing padding, then makes sure
     * that parsing that much JSON fits in the heap before anything is allocated for it.
     */
    private static long scanHeader(Path file, FileChannel ch, long n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, n));
        long pos = 8, end = 8 + n, content = 0, seqStart = 8;
        int need = 0, lo = 0x80, hi = 0xBF;
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            readFully(file, ch, buf, pos);
            buf.flip();
            for (int i = 0; i < buf.limit(); i++, pos++) {
                int b = buf.get(i) & 0xFF;
                if (need > 0) {
                    if (b < lo || b > hi) {
                        throw notUtf8(file, seqStart);
                    }
                    lo = 0x80;
                    hi = 0xBF;
                    need--;
                } else {
                    seqStart = pos;
                    if (b == 0) {
                        throw new ModelFileException(file, pos, "header is not valid JSON: a NUL byte (a safetensors"
                                + " header is UTF-8 JSON; UTF-16 is not allowed)");
                    } else if (b < 0x80) {
                        need = 0;
                    } else if (b >= 0xC2 && b <= 0xDF) {
                        need = 1;
                    } else if (b >= 0xE0 && b <= 0xEF) {
                        need = 2;
                        lo = b == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
                        hi = b == 0xED ? 0x9F : 0xBF;   // no surrogates
                    } else if (b >= 0xF0 && b <= 0xF4) {
                        need = 3;
                        lo = b == 0xF0 ? 0x90 : 0x80;
                        hi = b == 0xF4 ? 0x8F : 0xBF;   // nothing above U+10FFFF
                    } else {
                        throw notUtf8(file, pos);
                    }
                }
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    content = pos + 1 - 8;
                }
            }
        }
        if (need > 0) {
            throw notUtf8(file, seqStart);
        }
        ensureHeapForHeader(file, n, content);
        return content;
    }

    private static ModelFileException notUtf8(Path file, long at) {
        return new ModelFileException(file, at, "header is not valid UTF-8 (a safetensors header is UTF-8 JSON)");
    }

    /**
     * Heap that parsing {@code content} bytes of JSON may need at worst: a string that long is buffered as chars
     * (2 bytes each) by the parser, gathered once more and kept as a String (up to 2 bytes per char).
     */
    static final int HEADER_HEAP_FACTOR = 6;

    private static void ensureHeapForHeader(Path file, long n, long content) throws ModelFileException {
        long need = HEADER_HEAP_FACTOR * content + (1 << 20);
        if (need <= availableHeap()) {
            return;
        }
        System.gc(); // only for headers of many megabytes: garbage may be hiding the room
        long available = availableHeap();
        if (need > available) {
            throw new ModelFileException(file, 8, "header is " + n + " bytes (" + content + " without padding);"
                    + " parsing it may need up to " + mib(need) + " of heap but only " + mib(available)
                    + " is available; hint: raise the heap limit (java -Xmx...), or check where such a large"
                    + " header (usually huge __metadata__ strings) comes from");
        }
    }

    private static long availableHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1 >> 20) + " MiB";
    }

    private static JsonNode parseHeader(Path file, FileChannel ch, long content) throws ModelFileException {
        try (InputStream in = new ChannelSlice(file, ch, 8, 8 + content);
             JsonParser parser = JSON.createParser(in)) {
            JsonNode root = JSON.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new ModelFileException(file, 8 + parser.currentTokenLocation().getByteOffset(), "header is not"
                        + " valid JSON: '" + abbreviate(parser.getText()) + "' after the end of the header object");
            }
            return root;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() != null && e.getLocation().getByteOffset() >= 0
                    ? 8 + e.getLocation().getByteOffset() : 8;
            throw new ModelFileException(file, at, "header is not valid JSON: " + jacksonProblem(e.getOriginalMessage()));
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFileException(file, 8, "header cannot be read: " + jacksonProblem(e.getMessage()));
        } catch (OutOfMemoryError e) {
            throw new ModelFileException(file, 8, "header of " + content + " bytes does not fit in the heap ("
                    + mib(Runtime.getRuntime().maxMemory()) + " at most); hint: raise the heap limit (java -Xmx...)");
        }
    }

    /**
     * A parser's message in our words: Jackson's source descriptions ({@code [Source: REDACTED ...]}) and its
     * API hints (``from `StreamReadConstraints...` ``) mean nothing to the reader of a model file.
     */
    static String jacksonProblem(String message) {
        if (message == null || message.isBlank()) {
            return "malformed";
        }
        String m = message.replaceAll("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("\\[Source: [^\\]]*\\]", "the header")
                .replaceAll(",? from `[^`]*`", "")
                .replaceAll("\\s*\\(bound as '[^']*'\\)", "")
                .replaceAll(":? ?not allowed as per '[^']*'", "")
                .replaceAll("\\b(com\\.fasterxml|tools\\.jackson)\\.[\\w.$]+", "a JSON value")
                .replace('`', '\'')
                .replaceAll("\\s+", " ")
                .strip();
        return m.isEmpty() ? "malformed" : m;
    }

    /** Bytes {@code [from, to)} of a file as a stream, read with positional reads (the channel stays open). */
    private static final class ChannelSlice extends InputStream {
        private final Path file;
        private final FileChannel ch;
        private final long to;
        private long pos;

        ChannelSlice(Path file, FileChannel ch, long from, long to) {
            this.file = file;
            this.ch = ch;
            this.pos = from;
            this.to = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= to) {
                return -1;
            }
            ByteBuffer buf = ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos));
            readFully(file, ch, buf, pos);
            int n = buf.position() - off;
            pos += n;
            return n;
        }
    }

    /** Reads every tensor of a validated file in chunks straight into new tensors. */
    private static Map<String, Tensor> tensors(Path file, FileChannel ch, Layout layout, NonFinite nonFinite)
            throws IOException {
        long largest = layout.entries().stream().mapToLong(e -> e.end - e.begin).max().orElse(8);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, largest)))
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : layout.entries()) {
            Tensor t = Tensor.zeros(e.rows, e.cols);
            long pos = layout.dataStart() + e.begin;
            int r = 0, c = 0;
            long remaining = e.end - e.begin;
            while (remaining > 0) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), remaining));
                readFully(file, ch, buf, pos);
                buf.flip();
                while (buf.hasRemaining()) {
                    double v = buf.getDouble();
                    if (nonFinite == NonFinite.REJECT && !Double.isFinite(v)) {
                        throw new ModelFileException(file, pos + buf.position() - 8, "tensor \"" + e.name
                                + "\" holds " + v + " at (" + r + ", " + c + "); hint: the model had diverged when it"
                                + " was saved; load with NonFinite.ALLOW to inspect it");
                    }
                    t.set(r, c, v);
                    if (++c == e.cols) {
                        c = 0;
                        r++;
                    }
                }
                pos += buf.limit();
                remaining -= buf.limit();
            }
            tensors.put(e.name, t.named(e.name));
        }
        return tensors;
    }

    private record Entry(String name, int rows, int cols, long begin, long end) {
    }

    private static Entry entry(Path file, String name, JsonNode value) throws ModelFileException {
        String what = "tensor \"" + name + "\"";
        if (name.isEmpty()) {
            throw header(file, "a tensor has an empty name");
        }
        if (!value.isObject()) {
            throw header(file, what + " must be an object with dtype, shape and data_offsets, got " + kind(value));
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!ENTRY_KEYS.contains(key)) {
                throw header(file, what + " has an unknown field \"" + key + "\"; expected dtype, shape and"
                        + " data_offsets");
            }
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!value.has(key)) {
                throw header(file, what + " has no \"" + key + "\"");
            }
        }
        JsonNode dtype = value.get("dtype");
        if (!dtype.isTextual() || !dtype.textValue().equals("F64")) {
            throw header(file, what + " has dtype " + dtype + "; chainrule reads F64 (double) tensors only; hint:"
                    + " convert before saving, e.g. tensor.double() in PyTorch or a.astype('<f8') in numpy");
        }
        long[] shape = integers(file, what, "shape", value.get("shape"));
        if (shape.length != 2) {
            throw header(file, what + " has shape " + value.get("shape") + " of rank " + shape.length
                    + "; chainrule tensors are matrices [rows, cols]");
        }
        if (shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE
                || shape[0] * shape[1] > Integer.MAX_VALUE / 8) {
            throw header(file, what + " has shape " + value.get("shape") + "; sizes must be at least 1 and the"
                    + " tensor smaller than 2 GiB");
        }
        long[] offsets = integers(file, what, "data_offsets", value.get("data_offsets"));
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw header(file, what + " has data_offsets " + value.get("data_offsets") + "; expected [begin, end]"
                    + " with begin <= end");
        }
        long bytes = shape[0] * shape[1] * 8;
        if (offsets[1] - offsets[0] != bytes) {
            throw header(file, what + " has data_offsets " + value.get("data_offsets") + " spanning "
                    + (offsets[1] - offsets[0]) + " bytes, but shape " + value.get("shape") + " of F64 needs " + bytes);
        }
        return new Entry(name, (int) shape[0], (int) shape[1], offsets[0], offsets[1]);
    }

    private static long[] integers(Path file, String what, String key, JsonNode node) throws ModelFileException {
        if (!node.isArray()) {
            throw header(file, what + " has " + key + " " + node + "; expected an array of integers");
        }
        ArrayNode array = (ArrayNode) node;
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw header(file, what + " has " + key + " " + node + "; expected non-negative integers");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static ModelFileException header(Path file, String problem) {
        // entries are only known after parsing, so point at the header as a whole
        return new ModelFileException(file, 8, "header: " + problem);
    }
}
