package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.optimizer.internal.Json;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlMetricsListenerTest {

    @Test
    void onStep_writesOneObjectPerStepWithEveryMetric(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        TrainingResult result;
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 1);
                JsonlMetricsListener listener = JsonlMetricsListener.create(file)) {
            result = new SftTrainer(TrainingConfig.builder().setSteps(3).setBatchSize(1).build(), listener)
                    .train(policy, List.of(new PromptResponse("a", "b"), new PromptResponse("c", "dd")));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> line = Json.fromString(lines.get(i), Map.class);
            assertThat(line).containsOnlyKeys("step", "time", "elapsed_seconds", "loss", "tokens", "grad_norm",
                    "learning_rate");
            assertThat(line.get("step")).isEqualTo(i + 1);
            assertThat(((Number) line.get("loss")).doubleValue()).isEqualTo(result.losses().get(i));
            assertThat(Instant.parse((String) line.get("time"))).isBeforeOrEqualTo(Instant.now());
        }

        try (JsonlMetricsListener appending = JsonlMetricsListener.append(file)) {
            appending.onStep(new TrainingProgress(4, 4, Duration.ofSeconds(2), Map.of("loss", 0.5)));
        }
        assertThat(Files.readAllLines(file)).hasSize(4).last().asString().startsWith("{\"step\":4,");
    }
}
