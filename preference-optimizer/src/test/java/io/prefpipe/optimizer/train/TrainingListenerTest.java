package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingListenerTest {
    @Test
    void andThen_callsBothInOrder() {
        List<String> calls = new ArrayList<>();
        TrainingListener first = p -> calls.add("first " + p.step());
        TrainingListener both = first.andThen(p -> calls.add("second " + p.step()));
        both.onStep(new TrainingProgress(1, 2, Duration.ofMillis(5), Map.of("loss", 1.0)));
        both.onStep(new TrainingProgress(2, 2, Duration.ofMillis(9), Map.of("loss", 0.5)));
        assertThat(calls).containsExactly("first 1", "second 1", "first 2", "second 2");
    }
}
