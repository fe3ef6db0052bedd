package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MajorityVoteAggregatorTest {
    private final AggregationResult<MajorityVoteModel> result =
            new MajorityVoteAggregator().fit(Toys.fourItemsWithTie());

    @Test
    void fit_twoToOne_decidesTheMajorityWithVoteShares() {
        assertThat(result.decided(0)).isZero();
        assertThat(result.posterior(0)).containsExactly(2.0 / 3, 1.0 / 3);
        assertThat(result.iterations()).isZero();
        assertThat(result.converged()).isTrue();
        assertThat(result.logLikelihood()).isEmpty();
    }

    @Test
    void fit_evenSplit_isUndecidedNeverBroken() {
        assertThat(result.decided(3)).isEqualTo(AggregationResult.UNDECIDED);
        assertThat(result.posterior(3)).containsExactly(0.5, 0.5);
        assertThat(result.mostProbable(3)).containsExactly(0, 1);
    }

    @Test
    void profile_isAgreementWithTheDecidedItemsOnly() {
        // A: agrees on i0, i1, not i2 (i3 is undecided and left out); C: only on i2
        assertThat(result.model().profile("A").accuracy()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.model().profile("C").accuracy()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(result.model().profile("new").judgements()).isZero();
        assertThat(result.model().profile("new").accuracy()).isCloseTo(6.0 / 9, within(1e-12));
    }

    @Test
    void posterior_newItem_isTheVoteShareWhoeverVotes() {
        assertThat(result.model().posterior(List.of(Vote.of("A", 1), Vote.of("stranger", 1), Vote.of("C", 0))))
                .containsExactly(1.0 / 3, 2.0 / 3);
        assertThat(result.model().posterior(List.of())).containsExactly(0.5, 0.5);
    }
}
