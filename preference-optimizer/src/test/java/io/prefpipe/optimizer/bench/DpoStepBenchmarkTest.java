package io.prefpipe.optimizer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DpoStepBenchmarkTest {
    private static final PolicyConfig TINY = PolicyConfig.builder().setVocabSize(10).setContextLength(8).setLayers(1)
            .setHeads(1).setWidth(4).setMlpWidth(16).build();
    /** The smallest vocabulary a model can be made with: its byte-level tokenizer's. */
    private static final PolicyConfig RUNNABLE = PolicyConfig.builder().setVocabSize(259).setContextLength(8)
            .setLayers(1).setHeads(1).setWidth(4).setMlpWidth(16).build();

    @Test
    void matmulFlopsFollowTheShapes() {
        // T = 4 inputs, S = 3 scored: projections 4·2·1·(4·16 + 2·4·16) = 1,536; causal attention 1·2·4·5·4 = 160;
        // head 3·2·4·10 = 240; forward 1,936 per sequence; training 3× that, over 2 sequences of one pair
        DpoStepBenchmark.Config config = new DpoStepBenchmark.Config("tiny", TINY, 1, 5, 2, 0, 1, 1, true);

        assertThat(DpoStepBenchmark.matmulFlopsPerStep(config)).isEqualTo(3.0 * 1_936 * 2);
        assertThat(DpoStepBenchmark.matmulFlopsPerStep(new DpoStepBenchmark.Config("tiny", TINY, 4, 5, 2, 0, 1, 1, true)))
                .as("linear in the pairs").isEqualTo(4 * 3.0 * 1_936 * 2);
    }

    @Test
    void timesEveryTimedStepAndRunsTheHookAfterEachStep() {
        AtomicInteger hooks = new AtomicInteger();
        DpoStepBenchmark.Config config = new DpoStepBenchmark.Config("tiny", RUNNABLE, 2, 6, 3, 2, 3, 7, true);

        DpoStepBenchmark.Result result = DpoStepBenchmark.run(config, hooks::incrementAndGet);

        assertThat(hooks).as("after each warm-up and timed step").hasValue(5);
        assertThat(result.times().wallSeconds()).hasSize(3).isSorted();
        assertThat(result.times().minWall()).isPositive();
        assertThat(result.times().cpuSeconds()).hasSize(3).isSorted();
        assertThat(result.times().medianWall()).isBetween(result.times().minWall(), result.times().maxWall());
        try (PolicyModel policy = PolicyModel.create(RUNNABLE, 7)) {
            assertThat(result.parameters()).isEqualTo(policy.parameterCount());
        }
        assertThat(result.pairsPerSecond()).isEqualTo(2 / result.times().medianWall());
        assertThat(result.tokensPerSecond()).isEqualTo(2 * 2 * 6 / result.times().medianWall());
        assertThat(result.matmulFlopsPerSecond())
                .isEqualTo(DpoStepBenchmark.matmulFlopsPerStep(config) / result.times().medianWall());
    }

    @Test
    void refusesShapesItCannotTimeHonestly() {
        assertThatThrownBy(() -> new DpoStepBenchmark.Config("x", TINY, 1, 5, 2, 0, 2, 1, true))
                .hasMessageContaining("steps must be odd");
        assertThatThrownBy(() -> new DpoStepBenchmark.Config("x", TINY, 1, 9, 2, 0, 1, 1, true))
                .hasMessageContaining("contextLength 8");
        assertThatThrownBy(() -> new DpoStepBenchmark.Config("x", TINY, 1, 5, 5, 0, 1, 1, true))
                .hasMessageContaining("promptTokens");
        assertThatThrownBy(() -> new DpoStepBenchmark.StepTimes(new double[] {1, 2}, new double[] {1, 2}))
                .hasMessageContaining("odd");
    }

    @Test
    void theGpt2ConfigurationGetsAQuarterOfTheStepsAndAtMostFourWarmUps() {
        var configs = DpoStepBenchmark.standardConfigs(5, 41);

        assertThat(configs).hasSize(2);
        assertThat(configs.get(0).steps()).isEqualTo(41);
        assertThat(configs.get(1).steps()).isEqualTo(11);
        assertThat(configs.get(1).warmups()).isEqualTo(4);
        assertThat(configs).extracting(DpoStepBenchmark.Config::peakTarget).as("only GPT-2's held to the peak")
                .containsExactly(false, true);
        assertThat(DpoStepBenchmark.standardConfigs(0, 1).get(1).steps()).as("at least 3").isEqualTo(3);
        try (PolicyModel gpt2 = PolicyModel.create(configs.get(1).policy(), 1)) {
            assertThat(gpt2.parameterCount()).as("~10M parameters").isBetween(9_500_000L, 11_000_000L);
        }
    }
}
