package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlipRateEstimateTest {

    @Test
    void flipRate_dawidSkeneOnKnownTruth_isCloseToTheRealisedRates() {
        List<SyntheticCrowd.Annotator> annotators = new ArrayList<>();
        annotators.addAll(SyntheticCrowd.annotators("hi", 10, SyntheticCrowd.Kind.ACCURATE, 0.9, 0));
        annotators.addAll(SyntheticCrowd.annotators("mid", 10, SyntheticCrowd.Kind.ACCURATE, 0.75, 0));
        annotators.addAll(SyntheticCrowd.annotators("lo", 10, SyntheticCrowd.Kind.ACCURATE, 0.6, 0));
        SyntheticCrowd.Crowd crowd = SyntheticCrowd.generate(5, 4_000, 5, new double[] {0.6, 0.4}, annotators, 0,
                false);
        AggregationResult<DawidSkeneModel> r = new DawidSkeneAggregator().fit(crowd.data());

        FlipRateEstimate e = r.flipRate();
        assertThat(e.judgements()).isEqualTo(20_000);
        // (a) judgements disagreeing with the truth: realised 0.25 by construction
        assertThat(e.perJudgement()).isCloseTo(crowd.flipRate(), within(0.01));
        // (b) decided labels that are wrong
        int wrong = 0;
        int decided = 0;
        for (int i = 0; i < crowd.truth().length; i++) {
            if (r.decided(i) != AggregationResult.UNDECIDED) {
                decided++;
                wrong += r.decided(i) == crowd.truth()[i] ? 0 : 1;
            }
        }
        assertThat(e.decidedItems()).isEqualTo(decided);
        assertThat(e.perDecidedLabel()).isCloseTo((double) wrong / decided, within(0.01));
    }

    @Test
    void flipRate_byHand_isMeanDisagreementAndMeanResidual() {
        // majority vote on Toys.fourItemsWithTie: i0, i1, i2 split 2:1, i3 splits 1:1 and is undecided
        AggregationResult<MajorityVoteModel> r = new MajorityVoteAggregator().fit(Toys.fourItemsWithTie());
        // each 2:1 item: two majority votes at 1 - 2/3 and one dissent at 1 - 1/3; i3: two votes at 1 - 1/2
        double perJudgement = (3 * (1.0 / 3 + 1.0 / 3 + 2.0 / 3) + 2 * 0.5) / 11;
        assertThat(r.flipRate().perJudgement()).isCloseTo(perJudgement, within(1e-12));
        assertThat(r.flipRate().perDecidedLabel()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.flipRate().decidedItems()).isEqualTo(3);
    }
}
