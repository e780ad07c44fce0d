package io.github.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's training examples run, save their models and print what the README shows. */
class ExamplesTest {
    @TempDir
    Path dir;

    private String capture(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void customModelTrainsSavesAndLoads() throws Exception {
        String out = capture(() -> TrainCustomModel.run(dir));
        assertTrue(Files.size(dir.resolve("rings.safetensors")) > 0);
        assertTrue(out.contains("same predictions as the trained one: true"), out);
        assertTrue(out.contains("100%|##########| 2600/2600"), out);
        assertTrue(!out.contains("\r") && !out.contains("\u001b["), "plain lines when not a terminal");
    }

    @Test
    void sequentialModelTrainsSavesAndLoads() throws Exception {
        String out = capture(() -> TrainSequential.run(dir));
        assertTrue(Files.size(dir.resolve("circles.safetensors")) > 0);
        assertTrue(out.contains("same predictions as the trained one: true"), out);
        assertTrue(out.contains("val_accuracy 0.93"), out);
    }
}
