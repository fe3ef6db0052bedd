package io.prefpipe.labeling.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MajorityVoteTest {
    private static final ResponsePair PAIR = new ResponsePair("a", "b");

    private static List<PairwiseVote> votes(Outcome... outcomes) {
        List<PairwiseVote> out = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            out.add(new PairwiseVote("e" + i, "ann" + i, PAIR, outcomes[i], ShownFirst.UNKNOWN));
        }
        return out;
    }

    @Test
    void aggregate_threeToOneWithATie_decidesForTheMajority() {
        PairLabel label = new MajorityVote().aggregate(PAIR,
                votes(Outcome.SECOND, Outcome.SECOND, Outcome.FIRST, Outcome.SECOND, Outcome.TIE));
        assertThat(label.decided()).isEqualTo(Outcome.SECOND);
        // p(first) = (1 + 1/2) / 5
        assertThat(label.pFirst()).isCloseTo(0.3, within(1e-12));
        assertThat(label.pDecided()).isCloseTo(0.7, within(1e-12));
        assertThat(label.voteCount()).isEqualTo(5);
        assertThat(label.agreement()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void aggregate_evenSplit_isUndecidedNotBrokenArbitrarily() {
        PairLabel label = new MajorityVote().aggregate(PAIR, votes(Outcome.FIRST, Outcome.SECOND, Outcome.TIE));
        assertThat(label.decided()).isEqualTo(Outcome.TIE);
        assertThat(label.pFirst()).isEqualTo(0.5);
        assertThat(label.agreement()).isZero();
    }

    @Test
    void aggregate_voteOnAnotherPair_isRefused() {
        List<PairwiseVote> v = List.of(new PairwiseVote("e", "a", new ResponsePair("a", "c"), Outcome.FIRST,
                ShownFirst.UNKNOWN));
        assertThatThrownBy(() -> new MajorityVote().aggregate(PAIR, v))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event e");
    }
}
