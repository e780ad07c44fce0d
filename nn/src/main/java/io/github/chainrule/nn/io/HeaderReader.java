package io.github.chainrule.nn.io;

import static io.github.chainrule.nn.io.FileChannels.readFully;
import static io.github.chainrule.nn.io.HeaderJson.MAPPER;
import static io.github.chainrule.nn.io.HeaderJson.METADATA;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.chainrule.nn.io.FileLayout.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the header of a safetensors file, and only the header, so that nothing is allocated for
 * the tensors of a file that turns out to be invalid. It checks the header length against the file size and
 * {@link SafeTensors#MAX_HEADER_BYTES}; the header's bytes as strict UTF-8, streamed without holding them; that
 * parsing the JSON fits in the heap left; the JSON itself (strict: no duplicate keys, nothing after the object);
 * every entry's {@code dtype}, {@code shape} and {@code data_offsets}; and that the tensors cover the data
 * section exactly. Every problem raises a {@link ModelFileException} naming the file, the problem and its byte
 * offset (a parser's message is translated into words that mean something to the reader of a model file).
 */
final class HeaderReader {
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private HeaderReader() {
    }

    /** Reads and validates the header of {@code file}, open as {@code ch}. */
    static FileLayout read(Path file, FileChannel ch) throws IOException {
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
        if (n < 0 || n > SafeTensors.MAX_HEADER_BYTES) {
            throw new ModelFileException(file, 0, "header length " + nText + " exceeds the maximum of "
                    + SafeTensors.MAX_HEADER_BYTES + " bytes (corrupt length or not a safetensors file)");
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
        checkCoverage(file, entries, dataStart, dataLength);
        return new FileLayout(entries, metadata, dataStart);
    }

    /** The data section must be covered exactly: sorted by start, each tensor begins where the last ended. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataStart, long dataLength)
            throws ModelFileException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin() != expected) {
                throw new ModelFileException(file, dataStart + Math.min(e.begin(), expected), "tensor \"" + e.name()
                        + "\" starts at data byte " + e.begin() + " but "
                        + (previous == null ? "the data section starts at 0" : "\"" + previous + "\" ends at " + expected)
                        + (e.begin() > expected ? " (gap)" : " (overlap)"));
            }
            if (e.end() > dataLength) {
                throw new ModelFileException(file, dataStart + Math.min(e.begin(), dataLength), "tensor \"" + e.name()
                        + "\" ends at data byte " + e.end() + " but the data section has only " + dataLength
                        + " bytes (the file is truncated)");
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength) {
            throw new ModelFileException(file, dataStart + expected, "the tensors cover " + expected + " bytes of"
                    + " data but the data section has " + dataLength + " (" + (dataLength - expected)
                    + " trailing bytes)");
        }
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
     * Refuses, before anything is allocated for it, a header whose {@code content} bytes may need more heap to
     * parse ({@link SafeTensors#HEADER_HEAP_FACTOR} bytes per byte) than is left.
     */
    private static void ensureHeapForHeader(Path file, long n, long content) throws ModelFileException {
        long need = SafeTensors.HEADER_HEAP_FACTOR * content + (1 << 20);
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
             JsonParser parser = MAPPER.createParser(in)) {
            JsonNode root = MAPPER.readTree(parser);
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

    /** Validates one tensor entry of the header: its keys, F64 dtype, matrix shape and data offsets. */
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
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static ModelFileException header(Path file, String problem) {
        // entries are only known after parsing, so point at the header as a whole
        return new ModelFileException(file, 8, "header: " + problem);
    }
}
