package io.github.chainrule.nn.io;

import io.github.chainrule.nn.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for the tests that need one: a save killed part-way, a load under a small heap limit.
 * Modes: {@code saveloop FILE ROWS COLS} saves a model with a (ROWS, COLS) weight matrix over and over;
 * {@code load FILE ROWS COLS} loads such a model; {@code read FILE} reads any file. Prints {@code ok} or the
 * exception's class and message.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The model whose first weight matrix is (rows, cols): 8·rows·cols bytes of data, and a little more. */
    static Sequential model(int rows, int cols) {
        return Sequential.builder(cols, rows, 1).seed(1).build();
    }

    public static void main(String[] args) throws IOException {
        try {
            switch (args[0]) {
                case "saveloop" -> {
                    Sequential m = model(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                    System.out.println("saving");
                    System.out.flush();
                    while (true) {
                        SafeTensors.save(m, Path.of(args[1]));
                    }
                }
                case "load" -> SafeTensors.load(model(Integer.parseInt(args[2]), Integer.parseInt(args[3])),
                        Path.of(args[1]));
                case "read" -> SafeTensors.read(Path.of(args[1]));
                case "hold" -> { // a save still running: its temporary file locked for a while
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(args[1]),
                            java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock lock = ch.lock()) {
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("ok");
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** Starts this class in a new JVM with the test's class path. */
    static Process start(String maxHeap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"),
                ChildJvm.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Runs this class in a new JVM and returns what it printed. */
    static String run(String maxHeap, String... args) throws IOException, InterruptedException {
        Process p = start(maxHeap, args);
        // read on another thread and wait with a timeout: a child that hangs must not block the test
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes()).strip();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 120 s");
        }
        return out.join();
    }
}
