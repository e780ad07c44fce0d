package io.github.chainrule.nn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
 * during a save leaves the previous file intact. The header is padded to a multiple of 8 bytes
 * so that the data is aligned for zero-copy readers.
 *
 * <p><b>Reading</b> validates everything before returning anything: the header length against
 * the file size and {@link #MAX_HEADER_BYTES}; the JSON (strict: no duplicate keys, nothing after
 * the object); every entry's {@code dtype} ({@code F64} only), {@code shape} (two positive sizes),
 * {@code data_offsets} (agreeing with the shape); that the tensors cover the data section
 * exactly, without gaps, overlaps or trailing bytes; and, for {@link #load}, that names and shapes
 * match the model's parameters. Any problem raises a {@link ModelFileException} naming the file,
 * the problem and the byte offset, and {@link #load} then leaves the model untouched.
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
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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
     * @throws IOException              if the file cannot be written; the previous file is then unchanged
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
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(offset)).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : order) {
            for (double v : t.toRowMajorArray()) {
                data.putDouble(v);
            }
        }
        data.flip();
        writeAtomically(file, head, data);
    }

    /** The header decoded strictly as UTF-8, which the format requires; the error names the first bad byte. */
    private static String utf8Header(Path file, byte[] bytes, int length) throws ModelFileException {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 8, length);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(length);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new ModelFileException(file, in.position(), "header is not valid UTF-8 (a safetensors header is"
                    + " UTF-8 JSON)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static void writeAtomically(Path file, ByteBuffer... buffers) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // CREATE_NEW rather than createTempFile: the file gets the usual permissions, not owner-only
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static String describe(Map<String, Tensor> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((n, t) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(t.shape()));
        return b.toString();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Loads {@code file} into {@code model}'s parameters and buffers ({@link Module#state()}): the
     * file must hold exactly those names with the same shapes. Everything is validated before any
     * tensor changes.
     *
     * @return the file's metadata
     * @throws ModelFileException if the file is invalid or does not match the model (which is then unchanged)
     * @throws IOException        if the file cannot be read
     */
    public static Map<String, String> load(Module model, Path file) throws IOException {
        Checks.notNull(model, "SafeTensors.load", "model");
        Contents contents = read(file);
        Map<String, Tensor> params = model.state();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        params.keySet().forEach(n -> {
            if (!contents.tensors().containsKey(n)) {
                missing.add(n + " " + params.get(n).shape());
            }
        });
        contents.tensors().keySet().forEach(n -> {
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
            Shape inFile = contents.tensors().get(e.getKey()).shape();
            if (!inFile.equals(e.getValue().shape())) {
                throw new ModelFileException(file, -1, "tensor \"" + e.getKey() + "\" has shape " + inFile
                        + " in the file but the model's parameter is " + e.getValue().shape());
            }
        }
        try (var scope = Grad.disabled()) {
            params.forEach((n, p) -> p.assign(contents.tensors().get(n)));
        }
        return contents.metadata();
    }

    /**
     * Reads and validates a whole file.
     *
     * @throws ModelFileException if the file is not a valid safetensors file of F64 matrices
     * @throws IOException        if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        Checks.notNull(file, "SafeTensors.read", "file");
        long size = Files.size(file);
        if (size < 8) {
            throw new ModelFileException(file, size, "file is " + size + " bytes; a safetensors file starts with an"
                    + " 8-byte header length");
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new ModelFileException(file, -1, "file is " + size + " bytes; files over 2 GiB are not supported");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) size + 1);
        }
        if (bytes.length != size) {
            throw new ModelFileException(file, -1, "file changed size while being read (" + size + " then "
                    + bytes.length + " bytes)");
        }
        return parse(file, bytes);
    }

    private static Contents parse(Path file, byte[] bytes) throws ModelFileException {
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String nText = Long.toUnsignedString(n);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFileException(file, 0, "header length " + nText + " exceeds the maximum of "
                    + MAX_HEADER_BYTES + " bytes (corrupt length or not a safetensors file)");
        }
        if (8 + n > bytes.length) {
            throw new ModelFileException(file, 0, "header length " + nText + " runs past the end of the file ("
                    + bytes.length + " bytes; the file is truncated or the length is corrupt)");
        }
        if (n < 2 || bytes[8] != '{') {
            throw new ModelFileException(file, 8, "header does not start with '{' (not a safetensors file)");
        }
        int dataStart = 8 + (int) n;
        long dataLength = bytes.length - (long) dataStart;
        String header = utf8Header(file, bytes, (int) n);
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            long at = e.getLocation() != null && e.getLocation().getByteOffset() >= 0
                    ? 8 + e.getLocation().getByteOffset() : 8;
            throw new ModelFileException(file, at, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelFileException(file, 8, "header is not valid JSON: " + e.getMessage());
        }
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
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            double[] values = new double[e.rows * e.cols];
            data.position(dataStart + (int) e.begin);
            data.asDoubleBuffer().get(values);
            tensors.put(e.name, Tensor.fromRowMajor(e.rows, e.cols, values).named(e.name));
        }
        return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
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
