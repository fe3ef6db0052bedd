package io.prefpipe.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.RankedExample;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticPreferencesTest {
    private final SyntheticWorld world = new SyntheticWorld();
    private final SyntheticPreferences data = new SyntheticPreferences(world);

    @Test
    void rankedLists_gradeByTrueRewardRankOnZeroToOne() {
        List<RankedExample> lists = data.rankedLists(200, 4, 3);
        assertThat(lists).hasSize(200);
        int distinctRewards = 0;
        for (RankedExample list : lists) {
            double[] rewards = list.responses().stream().mapToDouble(r -> world.reward(list.prompt(), r)).toArray();
            for (int i = 0; i < list.size(); i++) {
                // ψ_i = (number of responses with a lower r*) / (k − 1): the position of the first of its ties
                int below = 0;
                for (double r : rewards) {
                    below += r < rewards[i] ? 1 : 0;
                }
                assertThat(list.labels().get(i)).isEqualTo(below / 3.0);
            }
            distinctRewards += Arrays.stream(rewards).distinct().count() == 4 ? 1 : 0;
        }
        // most lists have four distinct rewards, so the grades 0, 1/3, 2/3 and 1 all occur
        assertThat(distinctRewards).isGreaterThan(100);
    }

    @Test
    void rankedLists_areDeterministicInTheSeed() {
        assertThat(data.rankedLists(20, 4, 9)).isEqualTo(data.rankedLists(20, 4, 9));
        assertThat(data.rankedLists(20, 4, 9)).isNotEqualTo(data.rankedLists(20, 4, 10));
    }

    @Test
    void rankedLists_shorterThanTwo_isRefused() {
        assertThatThrownBy(() -> data.rankedLists(1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k");
    }
}
