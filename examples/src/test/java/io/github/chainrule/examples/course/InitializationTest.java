package io.github.chainrule.examples.course;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The course's initialization assignment (course 2, week 1, "Initialization"). Provenance of every expected value
 * (the published train/test accuracies and the inf cost, and the costs recomputed with the notebook's loop in numpy):
 * <a href="../../../../../../../../../docs/course-references.md#initialization-course-2-week-1-initialization">
 * docs/course-references.md, "Initialization"</a>.
 */
class InitializationTest {

    @Test
    void reproducesThePublishedAccuracies() {
        // published: train 0.5 / 0.83 / 0.9933, test 0.5 / 0.86 / 0.96; randn·10 starts at cost inf (log 0)
        List<Initialization.Run> runs = Initialization.all();
        double example = 1.0 / 300, testExample = 1.0 / 100;
        assertEquals(0.5, runs.get(0).trainAccuracy(), example);
        assertEquals(0.5, runs.get(0).testAccuracy(), testExample);
        assertEquals(0.83, runs.get(1).trainAccuracy(), example);
        assertEquals(0.86, runs.get(1).testAccuracy(), testExample);
        assertEquals(0.9933, runs.get(2).trainAccuracy(), example);
        assertEquals(0.96, runs.get(2).testAccuracy(), testExample);
        assertEquals(Double.POSITIVE_INFINITY, runs.get(1).costEvery1000().get(0));
        // numpy, the notebook's loop: zeros stay at log 2; He starts at 0.8830537463419761, then 0.6879825919728063
        assertEquals(Math.log(2), runs.get(0).costEvery1000().get(14), 1e-14);
        assertEquals(0.8830537463419761, runs.get(2).costEvery1000().get(0), 1e-12);
        assertEquals(0.6879825919728063, runs.get(2).costEvery1000().get(1), 1e-6);
    }
}
