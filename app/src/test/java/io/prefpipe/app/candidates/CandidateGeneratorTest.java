package io.prefpipe.app.candidates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.labeling.sampling.Pairing;
import io.prefpipe.labeling.sampling.RejectionSamplerConfig;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.model.sampling.SamplingOptions;
import io.prefpipe.reward.model.RewardModel;
import io.prefpipe.schema.AnnotationRequest;
import io.prefpipe.schema.CandidateResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateGeneratorTest {
    private static final PolicyConfig TINY = PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2)
            .setWidth(16).build();
    private static final List<String> PROMPTS = List.of("how do i bake bread", "plan trip tips", "grow roses");
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void generate_pairsKeptCandidatesOfEachPrompt_deterministicBySeed() {
        CandidateGenerator generator = new CandidateGenerator(6, new RejectionSamplerConfig(4, 0.5),
                Pairing.TOURNAMENT, SamplingOptions.builder().setMaxNewTokens(8).setTemperature(1.0).build());
        try (PolicyModel policy = PolicyModel.create(TINY, 1); RewardModel judge = RewardModel.create(TINY, 2)) {
            List<AnnotationRequest> requests = generator.generate(policy, judge, PROMPTS, "ckpt-7", 7, 11, NOW);
            List<AnnotationRequest> again = generator.generate(policy, judge, PROMPTS, "ckpt-7", 7, 11, NOW);
            List<AnnotationRequest> otherSeed = generator.generate(policy, judge, PROMPTS, "ckpt-7", 7, 12, NOW);

            assertThat(again).isEqualTo(requests);
            assertThat(otherSeed).isNotEqualTo(requests);
            // 4 kept per prompt, tournament: 3 pairs each, less those of identical texts or equal scores
            assertThat(requests).hasSizeBetween(1, 3 * PROMPTS.size());
            for (int i = 0; i < requests.size(); i++) {
                AnnotationRequest r = requests.get(i);
                assertThat(r.getComparisonId()).isEqualTo(String.format("ckpt-7-c%05d", i));
                assertThat(r.getCheckpointId()).isEqualTo("ckpt-7");
                assertThat(r.getIteration()).isEqualTo(7);
                assertThat(r.getCreatedTime()).isEqualTo(NOW);
                assertThat(PROMPTS).contains(r.getPrompt());
                assertThat(r.getResponses()).extracting(CandidateResponse::getId).containsExactly("r1", "r2");
                CandidateResponse first = r.getResponses().get(0);
                CandidateResponse second = r.getResponses().get(1);
                assertThat(first.getText()).isNotBlank().isNotEqualTo(second.getText());
                assertThat(second.getText()).isNotBlank();
                assertThat(first.getReward()).isNotEqualTo(second.getReward());
                assertThat(judge.score(r.getPrompt(), first.getText())).isCloseTo(first.getReward(), within(1e-4));
            }
            // the order shown is drawn, not the reward's: both orders occur
            assertThat(requests).anyMatch(r -> r.getResponses().get(0).getReward() > r.getResponses().get(1).getReward())
                    .anyMatch(r -> r.getResponses().get(0).getReward() < r.getResponses().get(1).getReward());
        }
    }
}
