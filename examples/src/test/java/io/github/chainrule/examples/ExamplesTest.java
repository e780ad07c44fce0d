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

    /**
     * The course's broadcasting example prints the course's arrays (course 1, week 2; printed form recomputed with
     * numpy 2.4.6, see docs/course-references.md, "Broadcasting").
     */
    @Test
    void broadcastingPrintsTheCoursesTable() {
        String out = Tour.broadcasting();
        assertTrue(out.contains("\n[[ 56.    0.    4.4  68. ]\n [  1.2 104.   52.    8. ]\n [  1.8 135.   99.    0.9]]\n"), out);
        assertTrue(out.contains("(1, 4), the course's cal = A.sum(axis=0):\n[ 59.  239.  155.4  76.9]\n"), out);
        assertTrue(out.endsWith("(3, 4) (the (1, 4) row broadcasts over A's 3 rows):\n"
                + "[[94.91525424  0.          2.83140283 88.42652796]\n"
                + " [ 2.03389831 43.51464435 33.46203346 10.40312094]\n"
                + " [ 3.05084746 56.48535565 63.70656371  1.17035111]]\n"), out);
    }
}
