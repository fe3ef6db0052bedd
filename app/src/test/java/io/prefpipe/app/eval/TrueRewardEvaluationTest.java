package io.prefpipe.app.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrueRewardEvaluationTest {
    private final SyntheticWorld world = new SyntheticWorld();
    private final TrueRewardEvaluation eval =
            new TrueRewardEvaluation(world, List.of("how do i bake bread"), 3, 16, 1.0);

    @Test
    void winRate_countsWinsAndHalfTies() {
        String good = "boil stir salt";
        String bad = "whatever stupid no";
        // sample 0: a wins, sample 1: a loses, sample 2: a tie → (1 + 0 + ½) / 3
        assertThat(eval.winRate(List.of(good, bad, good), List.of(bad, good, good))).isEqualTo(0.5);
        assertThat(eval.winRate(List.of(good, good, good), List.of(bad, bad, bad))).isEqualTo(1.0);
    }

    @Test
    void meanReward_averagesTheTrueRewardOverSamples() {
        List<String> responses = List.of("boil stir salt", "whatever stupid no", "xq zzv");
        double expected = (world.reward("how do i bake bread", responses.get(0))
                + world.reward("how do i bake bread", responses.get(1))
                + world.reward("how do i bake bread", responses.get(2))) / 3;
        assertThat(eval.meanReward(responses)).isEqualTo(expected);
        assertThat(eval.size()).isEqualTo(3);
    }

    @Test
    void winRate_wrongNumberOfSamples_isRefused() {
        assertThatThrownBy(() -> eval.winRate(List.of("a"), List.of("b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
