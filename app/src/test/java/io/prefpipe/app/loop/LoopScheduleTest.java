package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopScheduleTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void due_byPairsOrTimeWhicheverFirst_neverBelowMinPairs() {
        LoopSchedule s = new LoopSchedule(100, Duration.ofMinutes(10), 5, SECOND);
        assertThat(s.due(100, Duration.ZERO, 0)).isTrue();
        assertThat(s.due(99, Duration.ofMinutes(9), 0)).isFalse();
        assertThat(s.due(5, Duration.ofMinutes(10), 0)).isTrue();
        assertThat(s.due(4, Duration.ofHours(5), 0)).as("fewer than minPairs").isFalse();
        assertThat(s.due(60, Duration.ZERO, 60)).as("no candidate trigger").isFalse();
    }

    @Test
    void due_withCandidateShare_startsOnceThatShareOfThePreviousCandidatesIsBack() {
        LoopSchedule s = new LoopSchedule(1_000, Duration.ofMinutes(10), 1, 0.9, SECOND);
        assertThat(s.due(89, Duration.ZERO, 100)).isFalse();
        assertThat(s.due(90, Duration.ZERO, 100)).isTrue();
        assertThat(s.due(90, Duration.ZERO, 0)).as("the previous iteration published none").isFalse();
        assertThat(s.due(10, Duration.ZERO, 11)).as("ceil(0.9 * 11) = 10").isTrue();
    }

    @Test
    void new_badValues_areRefusedNamingThem() {
        assertThatThrownBy(() -> new LoopSchedule(0, SECOND, 1, SECOND)).hasMessageContaining("everyPairs");
        assertThatThrownBy(() -> new LoopSchedule(1, SECOND, 0, SECOND)).hasMessageContaining("minPairs");
        assertThatThrownBy(() -> new LoopSchedule(1, SECOND, 1, 1.5, SECOND)).hasMessageContaining("candidateShare");
        assertThatThrownBy(() -> new LoopSchedule(1, Duration.ZERO, 1, SECOND)).hasMessageContaining("every ");
    }
}
