package io.github.chainrule.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void inverseTimeIsTheCourseUpdateLr() {
        // course: update_lr(0.5, epoch_num=2, decay_rate=1) = 0.5 / (1 + 1*2)
        var s = LearningRateSchedule.inverseTime(1);
        assertEquals(0.5, s.rate(0.5, 0));
        assertEquals(0.5 / 3, s.rate(0.5, 2));
        assertEquals(0.1 / (1 + 0.3 * 10), LearningRateSchedule.inverseTime(0.3).rate(0.1, 10));
    }

    @Test
    void inverseTimeSteppedChangesEveryKEpochs() {
        // course: schedule_lr_decay(0.5, epoch_num=100, decay_rate=0.3, time_interval=100) = 0.5/(1+0.3*1)
        var s = LearningRateSchedule.inverseTimeStepped(0.3, 100);
        assertEquals(0.5, s.rate(0.5, 99));
        assertEquals(0.5 / 1.3, s.rate(0.5, 100));
        assertEquals(0.5 / 1.3, s.rate(0.5, 199));
        assertEquals(0.5 / 1.6, s.rate(0.5, 200));
    }

    @Test
    void exponentialAndStepDecay() {
        assertEquals(0.2 * 0.95 * 0.95 * 0.95, LearningRateSchedule.exponential(0.95).rate(0.2, 3), 1e-17);
        var step = LearningRateSchedule.stepDecay(0.5, 10);
        assertEquals(1.0, step.rate(1, 9));
        assertEquals(0.5, step.rate(1, 10));
        assertEquals(0.25, step.rate(1, 25));
        assertEquals(0.7, LearningRateSchedule.constant().rate(0.7, 1000));
    }

    @Test
    void badParametersGiveClearErrors() {
        assertEquals("inverseTime: decay must be a non-negative finite number, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.inverseTime(-1)).getMessage());
        assertEquals("inverseTimeStepped: everyEpochs must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.inverseTimeStepped(1, 0)).getMessage());
        assertEquals("exponential: base must be in (0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(1.5)).getMessage());
        assertEquals("stepDecay: factor must be in (0, 1], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0, 5)).getMessage());
    }
}
