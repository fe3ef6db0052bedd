package io.prefpipe.reward.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.reward.model.RewardModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RewardPreferenceModelTest {
    static final PolicyConfig TINY =
            PolicyConfig.builder().setContextLength(32).setLayers(1).setHeads(2).setWidth(16).build();
    static final List<String> PROMPTS = List.of("how do i bake bread", "pack bags tips", "hi");
    static final List<String> FIRST = List.of("oven salt", "passport early", "hello");
    static final List<String> SECOND = List.of("whatever", "ugh no", "hello");

    static RewardModel rewards;

    @BeforeAll
    static void createModel() {
        rewards = RewardModel.create(TINY, 4);
    }

    @AfterAll
    static void closeModel() {
        rewards.close();
    }

    @Test
    void preferenceProbabilities_areTheSigmoidOfTheRewardDifference() {
        double[] p = new RewardPreferenceModel(rewards).preferenceProbabilities(PROMPTS, FIRST, SECOND);
        double[] hot = new RewardPreferenceModel(rewards, 2).preferenceProbabilities(PROMPTS, FIRST, SECOND);
        for (int i = 0; i < 2; i++) {
            double d = rewards.score(PROMPTS.get(i), FIRST.get(i)) - rewards.score(PROMPTS.get(i), SECOND.get(i));
            assertThat(d).isNotCloseTo(0, within(1e-3));
            assertThat(p[i]).isCloseTo(1 / (1 + Math.exp(-d)), within(1e-6));
            // τ = 2 halves the log-odds: σ(d / 2)
            assertThat(hot[i]).isCloseTo(1 / (1 + Math.exp(-d / 2)), within(1e-6));
        }
        // the same response on both sides
        assertThat(p[2]).isEqualTo(0.5);
    }

    @Test
    void preferenceProbabilities_swappedSides_sumToOne() {
        RewardPreferenceModel model = new RewardPreferenceModel(rewards);
        double[] forward = model.preferenceProbabilities(PROMPTS, FIRST, SECOND);
        double[] backward = model.preferenceProbabilities(PROMPTS, SECOND, FIRST);
        for (int i = 0; i < forward.length; i++) {
            assertThat(forward[i] + backward[i]).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void preferenceProbabilities_tinyTemperature_saturatesWithoutNaN() {
        // |d| / 1e-9 is ~1e8 or more: e^{-|z|} underflows to 0, so P is exactly 0 or 1 (the tie stays ½)
        double[] p = new RewardPreferenceModel(rewards, 1e-9).preferenceProbabilities(PROMPTS, FIRST, SECOND);
        assertThat(p[0]).isIn(0.0, 1.0);
        assertThat(p[1]).isIn(0.0, 1.0);
        assertThat(p[2]).isEqualTo(0.5);
    }

    @Test
    void badArguments_areRefused() {
        RewardPreferenceModel model = new RewardPreferenceModel(rewards);
        assertThatThrownBy(() -> model.preferenceProbabilities(PROMPTS, FIRST, SECOND.subList(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same size");
        assertThatThrownBy(() -> new RewardPreferenceModel(rewards, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        assertThat(model.preferenceProbabilities(List.of(), List.of(), List.of())).isEmpty();
    }
}
