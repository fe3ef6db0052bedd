package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.PromptResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SftTrainerTest {

    @Test
    void train_fixedResponses_lossFallsAndGreedySampleReproducesThem() {
        List<PromptResponse> data = List.of(new PromptResponse("a", "apple"), new PromptResponse("b", "banana"));
        TrainingConfig config = TrainingConfig.builder().setSteps(120).setBatchSize(2).setLearningRate(1e-2).build();
        try (PolicyModel policy = PolicyModel.create(DpoTrainerTest.SMALL, 2)) {
            TrainingResult result = new SftTrainer(config).train(policy, data);
            assertThat(result.losses().get(0)).isGreaterThan(5); // ≈ log 259 nats per token at initialization
            assertThat(result.finalLoss()).isLessThan(0.1);
            assertThat(result.finalMetrics()).containsEntry("tokens", 13.0);
            assertThat(policy.sample(List.of("a", "b"), 10, 0, 0)).containsExactly("apple", "banana");
        }
    }
}
