package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static final double PEAK = 1e-3;

    @Test
    void rate_warmup_risesLinearlyFromZero() {
        LearningRateSchedule s = new LearningRateSchedule(PEAK, 4, LearningRateDecay.CONSTANT, 0, 10);
        assertThat(s.rate(1)).isZero();
        assertThat(s.rate(2)).isCloseTo(0.25e-3, within(1e-15));
        assertThat(s.rate(4)).isCloseTo(0.75e-3, within(1e-15));
        assertThat(s.rate(5)).isEqualTo(PEAK);
        assertThat(s.rate(10)).isEqualTo(PEAK);
    }

    @Test
    void rate_linear_reachesTheFloorAtTheLastStep() {
        // warm-up 2, then steps 3..11 decay over 8 intervals from 1e-3 to 1e-4
        LearningRateSchedule s = new LearningRateSchedule(PEAK, 2, LearningRateDecay.LINEAR, 0.1, 11);
        assertThat(s.rate(2)).isCloseTo(0.5e-3, within(1e-15));
        assertThat(s.rate(3)).isCloseTo(PEAK, within(1e-15));
        assertThat(s.rate(7)).isCloseTo(0.55e-3, within(1e-15)); // halfway: 1 − 0.9 · 4/8
        assertThat(s.rate(11)).isCloseTo(0.1e-3, within(1e-15));
    }

    @Test
    void rate_cosine_halfwayIsTheMeanOfPeakAndFloor() {
        LearningRateSchedule s = new LearningRateSchedule(PEAK, 0, LearningRateDecay.COSINE, 0.2, 9);
        assertThat(s.rate(1)).isCloseTo(PEAK, within(1e-15));
        assertThat(s.rate(3)).isCloseTo(PEAK * (0.2 + 0.8 * (1 + Math.cos(Math.PI / 4)) / 2), within(1e-15));
        assertThat(s.rate(5)).isCloseTo(0.6e-3, within(1e-15));
        assertThat(s.rate(9)).isCloseTo(0.2e-3, within(1e-15));
    }

    @Test
    void rate_noStepToDecayOver_lastStepTakesThePeak() {
        assertThat(new LearningRateSchedule(PEAK, 0, LearningRateDecay.LINEAR, 0, 1).rate(1)).isEqualTo(PEAK);
        assertThat(new LearningRateSchedule(PEAK, 3, LearningRateDecay.COSINE, 0, 4).rate(4)).isEqualTo(PEAK);
    }

    @Test
    void construct_outOfRange_namesTheField() {
        assertThatThrownBy(() -> new LearningRateSchedule(PEAK, 10, LearningRateDecay.LINEAR, 0, 10))
                .hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> new LearningRateSchedule(PEAK, 0, LearningRateDecay.LINEAR, 1.5, 10))
                .hasMessageContaining("minLearningRateRatio");
        assertThatThrownBy(() -> new LearningRateSchedule(PEAK, 0, LearningRateDecay.LINEAR, 0, 10).rate(11))
                .hasMessageContaining("step");
    }
}
