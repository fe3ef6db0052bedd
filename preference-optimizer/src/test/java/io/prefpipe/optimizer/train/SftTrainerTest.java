package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SftTrainerTest {

    @Test
    void train_fixedResponses_lossFallsAndGreedySampleReproducesThem() {
        List<PromptResponse> data = List.of(new PromptResponse("a", "apple"), new PromptResponse("b", "banana"));
        TrainingConfig config = TrainingConfig.builder().setSteps(120).setBatchSize(2).setLearningRate(1e-2).build();
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 2)) {
            TrainingResult result = new SftTrainer(config).train(policy, data);
            assertThat(result.losses().get(0)).isGreaterThan(5); // ≈ log 259 nats per token at initialization
            assertThat(result.finalLoss()).isLessThan(0.1);
            assertThat(result.finalMetrics()).containsEntry("tokens", 13.0);
            assertThat(policy.sample(List.of("a", "b"), 10, 0, 0)).containsExactly("apple", "banana");
        }
    }

    @Test
    void train_gradientAccumulation_weighsMicroBatchesByTokens() {
        // responses of very different lengths: weighting micro-batches by examples instead of tokens would differ
        List<PromptResponse> data = List.of(new PromptResponse("a", "x"), new PromptResponse("b", "a long answer"),
                new PromptResponse("c", "yz"), new PromptResponse("d", "another rather long one"));
        // a small learning rate, as in PreferenceTrainerTest's accumulation test, for Adam's amplified rounding noise
        TrainingConfig whole = TrainingConfig.builder().setSteps(3).setBatchSize(4).setLearningRate(5e-4)
                .setMaxGradNorm(0.5).build();
        TrainingConfig accumulated = whole.toBuilder().setBatchSize(1).setGradientAccumulation(4).build();
        Map<String, float[]> a;
        Map<String, float[]> b;
        TrainingResult resultA;
        TrainingResult resultB;
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 4)) {
            resultA = new SftTrainer(whole).train(policy, data);
            a = PolicyParameters.of(policy);
        }
        try (PolicyModel policy = PolicyModel.create(PreferenceTrainerTest.SMALL, 4)) {
            resultB = new SftTrainer(accumulated).train(policy, data);
            b = PolicyParameters.of(policy);
        }
        assertThat(PolicyParameters.maxDifference(a, b)).isLessThan(1e-5);
        assertThat(resultB.finalLoss()).isCloseTo(resultA.finalLoss(), within(1e-5));
        assertThat(resultB.finalMetrics().get("grad_norm")).isCloseTo(resultA.finalMetrics().get("grad_norm"),
                within(1e-4));
        assertThat(resultB.finalMetrics().get("tokens")).isEqualTo(resultA.finalMetrics().get("tokens"));
    }
}
