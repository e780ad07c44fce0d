package io.github.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.Module;
import io.github.chainrule.nn.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    static TinyModels.TwoLayer randomModel(long seed) {
        var model = new TinyModels.TwoLayer();
        var rng = new NumpyRandom(seed);
        model.parameters().values().forEach(p -> p.assign(Tensor.of(rng.randn(p.rows(), p.cols()))));
        return model;
    }

    static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> s = new LinkedHashMap<>();
        m.parameters().forEach((n, p) -> s.put(n, p.toRowMajorArray()));
        return s;
    }

    static void assertSameValues(Map<String, double[]> expected, Module m) {
        assertEquals(expected.keySet(), m.parameters().keySet());
        expected.forEach((n, v) -> assertArrayEquals(v, m.parameters().get(n).toRowMajorArray(), n));
    }

    /** A file from a header string and raw data, with the 8-byte little-endian length written by hand. */
    static byte[] craft(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = h.length;
        for (int i = 0; i < 8; i++) {
            out.write((int) (n >>> (8 * i)) & 0xff);
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    ModelFileException loadFails(Path f, Module into) {
        Map<String, double[]> before = snapshot(into);
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.load(into, f));
        assertSameValues(before, into);
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e;
    }

    @Test
    void roundTripKeepsValuesNamesOrderAndMetadata() throws IOException {
        var model = randomModel(1);
        Path f = dir.resolve("model.safetensors");
        SafeTensors.save(model, f, Map.of("epochs", "12"));
        var fresh = new TinyModels.TwoLayer();
        Map<String, String> meta = SafeTensors.load(fresh, f);
        assertSameValues(snapshot(model), fresh);
        assertEquals(TinyModels.TwoLayer.class.getName(), meta.get(SafeTensors.MODEL_KEY));
        assertEquals("hidden1.W (3, 2), hidden1.b (3, 1), output.W (1, 3), output.b (1, 1)",
                meta.get(SafeTensors.PARAMETERS_KEY));
        assertEquals("12", meta.get("epochs"));
        var contents = SafeTensors.read(f);
        assertEquals(List.of("hidden1.W", "hidden1.b", "output.W", "output.b"), List.copyOf(contents.tensors().keySet()));
        long n = Files.size(f) - 8 * (6 + 3 + 3 + 1);
        assertEquals(0, n % 8, "header padded so that data is 8-byte aligned");
        // special values survive bit for bit
        Map<String, Tensor> special = Map.of("s", Tensor.row(-0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE));
        SafeTensors.save(special, f, null);
        double[] back = SafeTensors.read(f).tensors().get("s").toRowMajorArray();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back[0]));
        assertTrue(Double.isNaN(back[1]));
        assertEquals(Double.MIN_VALUE, back[3]);
    }

    @Test
    void savedFilesGetTheUsualPermissions() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(randomModel(1), f);
        Path plain = Files.write(dir.resolve("plain"), new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f),
                "a model file is created like any other file, not owner-only like a temporary file");
    }

    @Test
    void batchNormRunningStatisticsAreSavedAndLoaded() throws IOException {
        java.util.function.Supplier<io.github.chainrule.nn.Sequential> build = () -> io.github.chainrule.nn.Sequential
                .builder(3, 4, 1).batchNorm(true).seed(1).build();
        var model = build.get();
        model.forward(Tensor.of(new NumpyRandom(5).randn(3, 6)));   // training mode: running statistics move
        Path f = dir.resolve("bn.safetensors");
        SafeTensors.save(model, f);
        var fresh = build.get();
        SafeTensors.load(fresh, f);
        assertEquals(model.state().keySet(), fresh.state().keySet());
        assertTrue(model.buffers().size() >= 2, model.buffers().keySet().toString());
        Tensor runningMean = model.buffers().values().iterator().next();
        assertTrue(java.util.Arrays.stream(runningMean.toRowMajorArray()).anyMatch(v -> v != 0),
                "the forward pass in training mode moved the running mean away from its start, 0");
        model.buffers().forEach((n, t) -> assertArrayEquals(t.toRowMajorArray(), fresh.buffers().get(n).toRowMajorArray(), n));
        Tensor x = Tensor.of(new NumpyRandom(6).randn(3, 2));
        model.eval();
        fresh.eval();
        assertArrayEquals(model.forward(x).toRowMajorArray(), fresh.forward(x).toRowMajorArray());
    }

    @Test
    void fixtureWrittenByteByByteFromTheSpecification() throws IOException {
        // header: {"a":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]}} is 57 bytes, padded with
        // 7 spaces to 64 so the data starts at byte 72; data: 1.0 and -2.5 as little-endian doubles
        String json = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]}}       ";
        assertEquals(64, json.length());
        byte[] bytes = new byte[8 + 64 + 16];
        bytes[0] = 64; // u64 little-endian 64: 40 00 00 00 00 00 00 00
        System.arraycopy(json.getBytes(StandardCharsets.US_ASCII), 0, bytes, 8, 64);
        // 1.0 = 0x3FF0000000000000 -> 00 00 00 00 00 00 F0 3F
        bytes[72 + 6] = (byte) 0xF0;
        bytes[72 + 7] = (byte) 0x3F;
        // -2.5 = 0xC004000000000000 -> 00 00 00 00 00 00 04 C0
        bytes[80 + 6] = (byte) 0x04;
        bytes[80 + 7] = (byte) 0xC0;
        Path f = file("fixture.safetensors", bytes);
        var contents = SafeTensors.read(f);
        assertEquals(Map.of(), contents.metadata());
        assertArrayEquals(new double[] {1.0, -2.5}, contents.tensors().get("a").toRowMajorArray());
        assertEquals("(1, 2)", contents.tensors().get("a").shape().toString());
        // and chainrule writes exactly these bytes
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.save(Map.of("a", Tensor.row(1.0, -2.5)), ours, null);
        assertArrayEquals(bytes, Files.readAllBytes(ours));
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(randomModel(1), f);
        SafeTensors.save(randomModel(2), f); // replaces the existing file
        var loaded = new TinyModels.TwoLayer();
        SafeTensors.load(loaded, f);
        assertSameValues(snapshot(randomModel(2)), loaded);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        // a save that fails at the rename leaves the target as it was and removes its temporary file
        Path occupied = Files.createDirectory(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> SafeTensors.save(randomModel(3), occupied));
        assertTrue(Files.exists(occupied.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.save(randomModel(1), good);
        byte[] bytes = Files.readAllBytes(good);
        var model = randomModel(5);
        for (int cut = 0; cut < bytes.length; cut++) {
            Path f = file("cut.safetensors", java.util.Arrays.copyOf(bytes, cut));
            loadFails(f, model);
        }
        Path f = file("cut.safetensors", java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertEquals(f + ": tensor \"output.b\" ends at data byte 104 but the data section has only 96 bytes (the"
                + " file is truncated) (at byte " + (bytes.length - 8) + ")", loadFails(f, model).getMessage());
        Path tiny = file("tiny.safetensors", new byte[] {1, 2, 3});
        assertEquals(tiny + ": file is 3 bytes; a safetensors file starts with an 8-byte header length (at byte 3)",
                loadFails(tiny, model).getMessage());
    }

    @Test
    void everyBitFlipInTheHeaderIsDetectedOrHarmless() throws IOException {
        var source = randomModel(1);
        Path good = dir.resolve("good.safetensors");
        SafeTensors.save(source, good, Map.of("note", "ok"));
        byte[] bytes = Files.readAllBytes(good);
        long n = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        int metaFrom = 8 + header.indexOf("{", header.indexOf("\"__metadata__\"")), metaTo = 8 + header.indexOf('}');
        int detected = 0, harmless = 0;
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < 8 + n; i++) {
            boolean inMetadata = i > metaFrom && i < metaTo;
            if (inMetadata && i % 4 != 0) {
                continue; // metadata strings are free text: sample them to keep the test fast
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << bit);
                Path f = file("flip.safetensors", flipped);
                var model = randomModel(9);
                Map<String, double[]> before = snapshot(model);
                try {
                    SafeTensors.load(model, f);
                    // only a flip inside the metadata's free text can leave a valid file that fits the model
                    assertTrue(inMetadata, "undetected flip of byte " + i + " bit " + bit + " outside the metadata");
                    assertSameValues(snapshot(source), model);
                    harmless++;
                } catch (ModelFileException e) {
                    assertSameValues(before, model);
                    detected++;
                } catch (RuntimeException e) {
                    unexpected.add("byte " + i + " bit " + bit + ": " + e);
                }
            }
        }
        if (!unexpected.isEmpty()) {
            fail(unexpected.size() + " flips raised something other than ModelFileException: " + unexpected.subList(0,
                    Math.min(5, unexpected.size())));
        }
        assertTrue(detected > 2000, "detected " + detected + ", harmless " + harmless);
    }

    @Test
    void oversizedOrImpossibleHeaderLengths() throws IOException {
        var model = randomModel(1);
        byte[] huge = craft("{}", new byte[0]);
        huge[7] = (byte) 0x80; // 2^63 + 2 as unsigned
        Path f = file("huge.safetensors", huge);
        assertEquals(f + ": header length 9223372036854775810 exceeds the maximum of 100000000 bytes (corrupt length"
                + " or not a safetensors file) (at byte 0)", loadFails(f, model).getMessage());
        byte[] big = craft("{}", new byte[0]);
        big[0] = 0;
        big[3] = 0x10; // 268435456 > 100 MB
        Path g = file("big.safetensors", big);
        assertTrue(loadFails(g, model).getMessage().contains("header length 268435456 exceeds the maximum"));
        byte[] past = craft("{}", new byte[0]);
        past[0] = 100;
        Path h = file("past.safetensors", past);
        assertEquals(h + ": header length 100 runs past the end of the file (10 bytes; the file is truncated or the"
                + " length is corrupt) (at byte 0)", loadFails(h, model).getMessage());
        assertEquals(0, loadFails(h, model).offset());
    }

    @Test
    void mismatchedShapeMissingAndExtraTensors() throws IOException {
        var target = new TinyModels.Linear(new double[][] {{1, 2}}, new double[] {0}, false); // W (1, 2), b (1, 1)
        Path f = dir.resolve("shape.safetensors");
        SafeTensors.save(new TinyModels.Linear(new double[][] {{1, 2}, {3, 4}}, new double[] {0, 0}, false), f);
        assertEquals(f + ": tensor \"W\" has shape (2, 2) in the file but the model's parameter is (1, 2)",
                loadFails(f, target).getMessage());
        Path g = dir.resolve("extra.safetensors");
        SafeTensors.save(Map.of("W", Tensor.row(1, 2), "b", Tensor.scalar(1), "gamma", Tensor.scalar(2)), g, null);
        assertTrue(loadFails(g, target).getMessage().endsWith("tensors do not match the model Linear (parameters:"
                + " W (1, 2), b (1, 1)): not in the model gamma;"), loadFails(g, target).getMessage());
        Path h = dir.resolve("missing.safetensors");
        SafeTensors.save(Map.of("W", Tensor.row(1, 2)), h, null);
        assertTrue(loadFails(h, target).getMessage().endsWith("missing b (1, 1);"));
    }

    @Test
    void headerProblemsAreNamed() throws IOException {
        var model = new TinyModels.Linear(new double[][] {{1, 2}}, new double[] {0}, false);
        byte[] d16 = new byte[16];
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{" + entry("W", "F32", "[1,2]", 0, 8) + "}",
                "header: tensor \"W\" has dtype \"F32\"; chainrule reads F64 (double) tensors only");
        cases.put("{" + entry("W", "F64", "[2]", 0, 16) + "}",
                "header: tensor \"W\" has shape [2] of rank 1; chainrule tensors are matrices [rows, cols]");
        cases.put("{" + entry("W", "F64", "[1,2]", 0, 24) + "}",
                "header: tensor \"W\" has data_offsets [0,24] spanning 24 bytes, but shape [1,2] of F64 needs 16");
        cases.put("{" + entry("W", "F64", "[1,1]", 8, 16) + "}",
                "tensor \"W\" starts at data byte 8 but the data section starts at 0 (gap) (at byte");
        cases.put("{" + entry("W", "F64", "[1,1]", 0, 8) + "," + entry("b", "F64", "[1,1]", 0, 8) + "}",
                "starts at data byte 0 but \"");
        cases.put("{" + entry("W", "F64", "[1,1]", 0, 8) + "}",
                "the tensors cover 8 bytes of data but the data section has 16 (8 trailing bytes)");
        cases.put("{" + entry("W", "F64", "[1,2]", 0, 16) + "," + entry("W", "F64", "[1,2]", 0, 16) + "}",
                "header is not valid JSON: Duplicate field 'W'");
        cases.put("{\"__metadata__\":{\"a\":1}," + entry("W", "F64", "[1,2]", 0, 16) + "}",
                "header: \"__metadata__\" value of \"a\" must be a string, got number 1");
        cases.put("{\"W\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16],\"x\":1}}",
                "header: tensor \"W\" has an unknown field \"x\"");
        cases.put("{\"W\":{\"dtype\":\"F64\",\"shape\":[1,2]}}", "header: tensor \"W\" has no \"data_offsets\"");
        cases.put("{" + entry("W", "F64", "[1,-2]", 0, 16) + "}", "expected non-negative integers");
        cases.put("{" + entry("W", "F64", "[1,2]", 0, 16) + "} x", "header is not valid JSON");
        cases.put("{\"__metadata__\":{}}", "header: header lists no tensors");
        cases.put("[1, 2]", "header does not start with '{' (not a safetensors file) (at byte 8)");
        cases.put("{" + entry("W", "F64", "[1,2]", 0, 16), "header is not valid JSON: Unexpected end-of-input");
        for (var c : cases.entrySet()) {
            Path f = file("bad.safetensors", craft(c.getKey(), d16));
            String message = loadFails(f, model).getMessage();
            assertTrue(message.contains(c.getValue()), "for header " + c.getKey() + "\n got: " + message);
        }
        byte[] badUtf8 = craft("{\"W\u00e9\":1}", d16);
        badUtf8[8 + 3] = (byte) 0xFF;
        Path u = file("utf8.safetensors", badUtf8);
        ModelFileException e = loadFails(u, model);
        assertTrue(e.getMessage().contains("header is not valid UTF-8"), e.getMessage());
        // {"W then the two bytes of é: the first of them was replaced by 0xFF at byte 8 + 3
        assertEquals(11, e.offset());
        // the format requires UTF-8: a UTF-16 header that a lenient parser would accept is refused
        String json = "{\"W\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]}}";
        byte[] utf16 = json.getBytes(StandardCharsets.UTF_16LE);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            b.write((int) ((long) utf16.length >>> (8 * i)) & 0xff);
        }
        b.writeBytes(utf16);
        b.writeBytes(d16);
        String utf16Message = loadFails(file("utf16.safetensors", b.toByteArray()), model).getMessage();
        assertTrue(utf16Message.contains("header is not valid JSON"), utf16Message);
    }

    @Test
    void badArgumentsToSave() {
        Path f = dir.resolve("x.safetensors");
        assertEquals("SafeTensors.save: tensor name \"__metadata__\" is not allowed (empty or reserved)",
                assertThrows(IllegalArgumentException.class,
                        () -> SafeTensors.save(Map.of("__metadata__", Tensor.scalar(1)), f, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(Map.of(), f, null))
                .getMessage().startsWith("SafeTensors.save: no tensors to save"));
        assertTrue(!Files.exists(f));
    }
}
