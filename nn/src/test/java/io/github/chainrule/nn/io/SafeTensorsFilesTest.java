package io.github.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.testing.TinyModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files under stress: saves killed part-way, long names, unwritable targets, large headers and
 * metadata, heap use at load, JSON errors, NaN and infinities.
 */
class SafeTensorsFilesTest {
    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    List<String> temporaries() throws IOException {
        return names().stream().filter(n -> n.endsWith(".tmp")).toList();
    }

    // ------------------------------------------------------------------ saving

    @Test
    void aSaveKilledPartWayLeavesATemporaryThatTheNextSaveRemoves() throws Exception {
        Path f = dir.resolve("big.safetensors");
        // a 16 MB weight matrix: each save takes long enough to be caught in the middle
        Process child = ChildJvm.start("256m", "saveloop", f.toString(), "1024", "2048");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (temporaries().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs in the child
            child.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> left = temporaries();
        // the child saves in a loop and its temporary exists for nearly all of each save: it is always caught
        assertFalse(left.isEmpty(), "the child was not caught during a save within 60 s");
        // the next save of the same file (in another process) removes what the killed one left
        SafeTensors.save(SafeTensorsTest.randomModel(1), f);
        assertEquals(List.of(), temporaries(), "left by the killed save: " + left);
    }

    @Test
    void onlyStaleTemporariesOfTheSameTargetAreRemoved() throws IOException {
        Path f = dir.resolve("m.safetensors");
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        FileTime later = FileTime.from(Instant.now().plusSeconds(3600));
        Map<String, Boolean> files = new LinkedHashMap<>();   // name -> removed by the save
        files.put(".m.safetensors.1kz8q0t3wv2xa.tmp", true);  // a killed save of the same target
        files.put(".m.safetensors.0.tmp", true);
        files.put(".m.safetensors.2b.tmp.later", false);      // not our pattern
        files.put(".m.safetensors.UPPER.tmp", false);
        files.put(".m.safetensors.a.b.tmp", false);
        files.put(".m.safetensors.12345678901234.tmp", false); // token longer than ours
        files.put(".n.safetensors.1kz8q0t3wv2xa.tmp", false);  // another target
        files.put(".m.safetensors.bak.1kz8q.tmp", false);       // the target "m.safetensors.bak"
        files.put("m.safetensors.1kz8q.tmp", false);            // not hidden
        for (String name : files.keySet()) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve(name), "x"), hourAgo);
        }
        Path concurrent = Files.writeString(dir.resolve(".m.safetensors.zz.tmp"), "x"); // a save that began later
        Files.setLastModifiedTime(concurrent, later);
        files.put(".m.safetensors.zz.tmp", false);
        Path directory = Files.createDirectory(dir.resolve(".m.safetensors.dd.tmp"));
        Files.setLastModifiedTime(directory, hourAgo);
        files.put(".m.safetensors.dd.tmp", false);
        SafeTensors.save(SafeTensorsTest.randomModel(1), f);
        List<String> left = names();
        files.forEach((name, removed) -> assertEquals(!removed, left.contains(name), name));
        assertTrue(left.contains("m.safetensors"));
    }

    /**
     * A save of the same file still running in another process (its temporary locked, as every save
     * locks it until the rename) is left alone even when its file is older than this save; an
     * unlocked one of the same age is a killed save's and is removed.
     */
    @Test
    void aTemporaryOfASaveStillRunningElsewhereIsNotRemoved() throws Exception {
        Path f = dir.resolve("m.safetensors");
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Path running = Files.writeString(dir.resolve(".m.safetensors.1kz8q0t3wv2xa.tmp"), "x");
        Path killed = Files.writeString(dir.resolve(".m.safetensors.2b.tmp"), "x");
        Files.setLastModifiedTime(running, hourAgo);
        Files.setLastModifiedTime(killed, hourAgo);
        Process holder = ChildJvm.start("64m", "hold", running.toString());
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))) {
            assertEquals("locked", out.readLine(), "the other process did not lock its temporary");
            SafeTensors.save(SafeTensorsTest.randomModel(1), f);
            assertTrue(Files.exists(running), "the running save's temporary was removed");
            assertTrue(!Files.exists(killed), "the unlocked stale temporary was kept");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Saves of the same file from several threads at once all succeed: none removes another's temporary. */
    @Test
    void concurrentSavesOfTheSameFileAllSucceed() throws Exception {
        Path f = dir.resolve("c.safetensors");
        var model = ChildJvm.model(256, 512); // 1 MB: each save takes long enough to overlap others
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                saves.add(pool.submit(() -> {
                    SafeTensors.save(model, f);
                    return null;
                }));
            }
            for (var s : saves) {
                s.get(60, TimeUnit.SECONDS); // rethrows a failed save
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), temporaries());
        assertTrue(Files.size(f) > 1_000_000);
    }

    @Test
    void errorsNameTheTargetNeverTheTemporaryFile() {
        Path f = dir.resolve("no/such/dir/m.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> SafeTensors.save(SafeTensorsTest.randomModel(1), f));
        assertEquals(f.toAbsolutePath().toString(), e.getFile());
        assertTrue(e.getMessage().startsWith(f.toAbsolutePath() + ": cannot save the model: the directory "),
                e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    @Test
    void aDirectoryInTheWayIsNamed() throws IOException {
        Path occupied = Files.createDirectory(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("keep.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> SafeTensors.save(SafeTensorsTest.randomModel(1), occupied));
        assertTrue(e.getMessage().startsWith(occupied + ": cannot save the model: this is a directory"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertEquals(List.of("occupied"), names());
        ModelFileException r = assertThrows(ModelFileException.class, () -> SafeTensors.read(occupied));
        assertEquals(occupied + ": is a directory, not a safetensors file; hint: name the model file inside it, e.g. "
                + occupied.resolve("model.safetensors"), r.getMessage());
        assertThrows(ModelFileException.class, () -> SafeTensors.load(new TinyModels.TwoLayer(), occupied));
    }

    @Test
    void namesUpToTheFileSystemLimitCanBeSaved() throws IOException {
        List<String> names = List.of(
                "m".repeat(238) + ".safetensors",                       // 250 bytes
                "m".repeat(243) + ".safetensors",                       // 255 bytes, the limit
                "\u00e9".repeat(120) + ".safetensors",                  // 252 bytes in 132 characters
                "\uD83D\uDE00".repeat(60) + ".safetensors");            // 252 bytes of 4-byte characters
        var model = SafeTensorsTest.randomModel(3);
        for (String name : names) {
            Path f = dir.resolve(name);
            SafeTensors.save(model, f);
            SafeTensors.save(model, f); // over an existing file
            var back = new TinyModels.TwoLayer();
            SafeTensors.load(back, f);
            SafeTensorsTest.assertSameValues(SafeTensorsTest.snapshot(model), back);
            Files.delete(f);
        }
        assertEquals(List.of(), names());
        for (String name : names) {
            String stem = SafeTensors.tmpStem(name);
            String longest = "." + stem + "." + "z".repeat(13) + ".tmp";
            assertTrue(longest.getBytes(StandardCharsets.UTF_8).length <= 255, name);
            assertTrue(SafeTensors.isTemporaryOf(longest, stem));
        }
        // long names that share a prefix get different stems
        assertNotEquals(SafeTensors.tmpStem("a".repeat(250) + "1"), SafeTensors.tmpStem("a".repeat(250) + "2"));
        assertEquals("m.safetensors", SafeTensors.tmpStem("m.safetensors"));
    }

    // ------------------------------------------------------------------ loading

    @Test
    void aLoadNeedsLittleMoreHeapThanTheModelAndItsData() throws Exception {
        // a (2048, 2048) weight matrix: 32 MiB of data. The model holds 32 MiB and the load stages 32 MiB;
        // the earlier reader also held the whole file as bytes and a copy of each tensor (it needed -Xmx150m)
        Path f = dir.resolve("w.safetensors");
        SafeTensors.save(ChildJvm.model(2048, 2048), f);
        assertEquals("ok", ChildJvm.run("100m", "load", f.toString(), "2048", "2048"));
        assertEquals("ok", ChildJvm.run("48m", "read", f.toString()));
    }

    /** A file whose header is {@code header} padded with spaces to {@code headerBytes}, then 16 bytes of data. */
    Path fileWithHeader(String name, String header, long headerBytes, String bigValue, long bigValueBytes)
            throws IOException {
        Path f = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer n = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerBytes);
            ch.write(n);
            String[] around = header.split("BIG", 2);
            ch.write(ByteBuffer.wrap(around[0].getBytes(StandardCharsets.UTF_8)));
            long written = around[0].length();
            if (around.length == 2) {
                byte[] chunk = bigValue.repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
                for (long done = 0; done < bigValueBytes; done += chunk.length) {
                    ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bigValueBytes - done)));
                }
                written += bigValueBytes;
                ch.write(ByteBuffer.wrap(around[1].getBytes(StandardCharsets.UTF_8)));
                written += around[1].length();
            }
            byte[] spaces = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (; written < headerBytes; written += spaces.length) {
                ch.write(ByteBuffer.wrap(spaces, 0, (int) Math.min(spaces.length, headerBytes - written)));
            }
            ch.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.0).putDouble(-2.5).flip());
        }
        return f;
    }

    static final String W = "\"W\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]}";

    @Test
    void aLargeHeaderIsReadWithoutHoldingItOrRefusedBeforeItIsAllocated() throws Exception {
        long size = 99_000_000L; // within the format's 100 MB
        // mostly padding: costs no memory, reads at -Xmx64m
        Path padded = fileWithHeader("padded.safetensors", "{" + W + "}", size, null, 0);
        assertEquals("ok", ChildJvm.run("64m", "read", padded.toString()));
        // a 98 MB metadata string cannot be parsed in 64 MB: refused, naming the file and the heap it would need
        Path big = fileWithHeader("big.safetensors", "{\"__metadata__\":{\"note\":\"BIG\"}," + W + "}", size, "ab",
                98_000_000L);
        String out = ChildJvm.run("64m", "read", big.toString());
        assertTrue(out.startsWith(ModelFileException.class.getName() + ": " + big + ": header is 99000000 bytes"),
                out);
        assertTrue(out.contains("of heap but only") && out.contains("hint: raise the heap limit"), out);
    }

    @Test
    void longMetadataStringsAreAccepted() throws IOException {
        Path f = dir.resolve("meta.safetensors");
        String note = "0123456789".repeat(2_500_000); // 25 MB, over Jackson's default limit of 20 M characters
        SafeTensors.save(Map.of("W", Tensor.row(1, 2)), f, Map.of("note", note, "k".repeat(60_000), "long key"));
        Map<String, String> meta = SafeTensors.read(f).metadata();
        assertEquals(note, meta.get("note"));
        assertEquals("long key", meta.get("k".repeat(60_000)));
    }

    @Test
    void jsonErrorsAreReportedAtTheirByteAndInOurWords() throws IOException {
        var model = new TinyModels.Linear(new double[][] {{1, 2}}, new double[] {0}, false);
        byte[] d16 = new byte[16];
        // header, byte offset of the error in the file
        Map<String, Long> cases = new LinkedHashMap<>();
        String trailingComma = "{" + W + ",}";
        cases.put(trailingComma, 8L + trailingComma.indexOf(",}") + 1);
        String badValue = "{\"__metadata__\":{\"a\":\"b\"}," + "\"W\":{\"dtype\":F64}}";
        cases.put(badValue, 8L + badValue.indexOf("F64}}") + 4); // the parser reports an unknown word after it
        String dup = "{" + W + "," + W + "}";
        cases.put(dup, 8L + dup.lastIndexOf("\"W\"") + 3);
        for (var c : cases.entrySet()) {
            Path f = Files.write(dir.resolve("bad.safetensors"), SafeTensorsTest.craft(c.getKey(), d16));
            ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.load(model, f));
            assertTrue(e.getMessage().contains("header is not valid JSON"), e.getMessage());
            assertEquals(c.getValue(), e.offset(), c.getKey() + "\n" + e.getMessage());
        }
        // whatever the problem, nothing of the parser's internals reaches the reader
        List<String> broken = List.of("{" + W, "{\"W\":[" + "[".repeat(2000), "{\"W\":1" + "2".repeat(2000) + "}",
                "{\"W\":\"a\u0001b\"}", "{\"W\":tru}", "{" + W + "} {}", "{\"W\":\"\\x\"}", "{'W':1}");
        for (String header : broken) {
            Path f = Files.write(dir.resolve("broken.safetensors"), SafeTensorsTest.craft(header, d16));
            String m = assertThrows(ModelFileException.class, () -> SafeTensors.load(model, f)).getMessage();
            for (String internal : List.of("Source:", "REDACTED", "StreamRead", "`", "jackson", "\n")) {
                assertFalse(m.contains(internal), "'" + internal + "' in: " + m);
            }
            assertTrue(m.startsWith(f + ": header is not valid JSON: "), m);
        }
        assertEquals("Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1)",
                SafeTensors.jacksonProblem("Unexpected end-of-input: expected close marker for Object (start marker at"
                        + " [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1,"
                        + " column: 1])"));
    }

    @Test
    void nanAndInfinityLoadAsSavedUnlessRejected() throws IOException {
        var source = new TinyModels.Linear(new double[][] {{1, Double.NaN}}, new double[] {Double.NEGATIVE_INFINITY},
                false);
        Path f = dir.resolve("diverged.safetensors");
        SafeTensors.save(source, f);
        var target = new TinyModels.Linear(new double[][] {{5, 6}}, new double[] {7}, false);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> SafeTensors.load(target, f, SafeTensors.NonFinite.REJECT));
        assertArrayEquals(new double[] {5, 6}, target.w.toRowMajorArray(), "the model is unchanged");
        assertArrayEquals(new double[] {7}, target.b.toRowMajorArray());
        long dataStart = Files.size(f) - 24;
        assertEquals(f + ": tensor \"W\" holds NaN at (0, 1); hint: the model had diverged when it was saved; load"
                + " with NonFinite.ALLOW to inspect it (at byte " + (dataStart + 8) + ")", e.getMessage());
        assertEquals(dataStart + 8, e.offset());
        SafeTensors.load(target, f); // the default: as saved
        assertTrue(Double.isNaN(target.w.get(0, 1)));
        assertEquals(Double.NEGATIVE_INFINITY, target.b.item());
        assertThrows(ModelFileException.class, () -> SafeTensors.read(f, SafeTensors.NonFinite.REJECT));
        assertEquals(2, SafeTensors.read(f, SafeTensors.NonFinite.ALLOW).tensors().size());
    }
}
