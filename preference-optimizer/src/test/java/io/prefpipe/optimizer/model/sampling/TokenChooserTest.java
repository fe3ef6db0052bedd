package io.prefpipe.optimizer.model.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class TokenChooserTest {
    private static final IntPredicate ANY = id -> true;
    // probabilities 0.5, 0.3, 0.2 at temperature 1
    private static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};

    @Test
    void greedy_takesTheLowestIdAmongTiedMaxima() {
        SamplingOptions greedy = SamplingOptions.builder().setTemperature(0).build();
        assertThat(TokenChooser.choose(new float[] {1, 3, 2, 3}, 0, 4, ANY, greedy, new SplittableRandom(1)))
                .isEqualTo(1);
        // the offset selects the row: row 1 is {5, 0, 9, 1}
        assertThat(TokenChooser.choose(new float[] {1, 3, 2, 3, 5, 0, 9, 1}, 4, 4, ANY, greedy,
                new SplittableRandom(1))).isEqualTo(2);
    }

    @Test
    void disallowedIds_areNeverChosen() {
        SamplingOptions greedy = SamplingOptions.builder().setTemperature(0).build();
        assertThat(TokenChooser.choose(new float[] {1, 3, 2}, 0, 3, id -> id != 1, greedy, new SplittableRandom(1)))
                .isEqualTo(2);
        assertThatThrownBy(() -> TokenChooser.choose(new float[] {1}, 0, 1, id -> false, greedy,
                new SplittableRandom(1))).hasMessageContaining("no token id");
    }

    @Test
    void temperature_sharpensOrFlattensTheDistribution() {
        // T = 1: 0.5, 0.3, 0.2.  T = 2: p ∝ √p = 0.7071, 0.5477, 0.4472 → 0.4135, 0.3203, 0.2615
        assertThat(frequencies(SamplingOptions.builder().build()))
                .containsExactly(new double[] {0.5, 0.3, 0.2}, within(0.015));
        assertThat(frequencies(SamplingOptions.builder().setTemperature(2).build()))
                .containsExactly(new double[] {0.4135, 0.3203, 0.2615}, within(0.015));
    }

    @Test
    void topK_keepsOnlyTheKMostLikely() {
        // k = 2 renormalizes 0.5, 0.3 to 0.625, 0.375
        assertThat(frequencies(SamplingOptions.builder().setTopK(2).build()))
                .containsExactly(new double[] {0.625, 0.375, 0}, within(0.015));
    }

    @Test
    void topP_keepsTheShortestPrefixReachingP() {
        // 0.5 < 0.7 ≤ 0.5 + 0.3: ids 0 and 1 remain, renormalized to 0.625, 0.375; p = 0.45 keeps id 0 alone
        assertThat(frequencies(SamplingOptions.builder().setTopP(0.7).build()))
                .containsExactly(new double[] {0.625, 0.375, 0}, within(0.015));
        assertThat(frequencies(SamplingOptions.builder().setTopP(0.45).build()))
                .containsExactly(1, 0, 0);
    }

    @Test
    void sameGenerator_sameChoices() {
        SamplingOptions options = SamplingOptions.builder().build();
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            assertThat(TokenChooser.choose(LOGITS, 0, 3, ANY, options, a))
                    .isEqualTo(TokenChooser.choose(LOGITS, 0, 3, ANY, options, b));
        }
    }

    @Test
    void options_outOfRange_areRefusedNamingTheField() {
        assertThatThrownBy(() -> SamplingOptions.builder().setMaxNewTokens(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNewTokens");
        assertThatThrownBy(() -> SamplingOptions.builder().setTemperature(Double.NaN).build())
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingOptions.builder().setTopK(-1).build()).hasMessageContaining("topK");
        assertThatThrownBy(() -> SamplingOptions.builder().setTopP(0).build()).hasMessageContaining("topP");
        assertThatThrownBy(() -> SamplingOptions.builder().setTopP(1.5).build()).hasMessageContaining("topP");
    }

    private static double[] frequencies(SamplingOptions options) {
        int draws = 20_000;
        double[] counts = new double[LOGITS.length];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < draws; i++) {
            counts[TokenChooser.choose(LOGITS, 0, LOGITS.length, ANY, options, random)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= draws;
        }
        return counts;
    }
}
