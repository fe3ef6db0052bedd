package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WawaAggregatorTest {
    private final AggregationResult<WawaModel> result = new WawaAggregator().fit(Toys.fourItemsWithTie());

    @Test
    void fit_weightsAreAgreementWithTheMajorityWorkedByHand() {
        // majority: i0 -> 0, i1 -> 1, i2 -> 1, i3 undecided (left out of the agreement)
        assertThat(result.model().weight("A")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.model().weight("B")).isCloseTo(1.0, within(1e-12));
        assertThat(result.model().weight("C")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(result.model().defaultWeight()).isCloseTo(6.0 / 9, within(1e-12));
    }

    @Test
    void fit_weightedVote_breaksTheMajorityTieTowardsTheBetterAnnotator() {
        // i0: class 0 gets A + B = 5/3, class 1 gets C = 1/3
        assertThat(result.posterior(0)[0]).isCloseTo(5.0 / 6, within(1e-12));
        // i3: A (2/3) says 0, B (1) says 1
        assertThat(result.posterior(3)[1]).isCloseTo(0.6, within(1e-12));
        assertThat(result.decided(3)).isEqualTo(1);
    }

    @Test
    void posterior_unknownAnnotator_weighsTheDefault() {
        double[] p = result.model().posterior(List.of(Vote.of("B", 0), Vote.of("stranger", 1)));
        assertThat(p[0]).isCloseTo(1.0 / (1 + 2.0 / 3), within(1e-12));
    }
}
