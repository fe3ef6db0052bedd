package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PositionAwareDawidSkeneTest {
    private static SyntheticCrowd.Crowd crowd;
    private static AggregationResult<PositionAwareModel> fit;

    @BeforeAll
    static void fitOnABiasedCrowd() {
        List<SyntheticCrowd.Annotator> annotators = new ArrayList<>();
        annotators.addAll(SyntheticCrowd.annotators("good", 12, SyntheticCrowd.Kind.ACCURATE, 0.85, 0));
        // "click": always picks whatever is shown first; "lean": does so 60% of the time, else judges at 0.85
        annotators.addAll(SyntheticCrowd.annotators("click", 4, SyntheticCrowd.Kind.POSITION_BIASED, 0.85, 1.0));
        annotators.addAll(SyntheticCrowd.annotators("lean", 4, SyntheticCrowd.Kind.POSITION_BIASED, 0.85, 0.6));
        annotators.addAll(SyntheticCrowd.annotators("spam", 3, SyntheticCrowd.Kind.SPAMMER, 0, 0));
        annotators.addAll(SyntheticCrowd.annotators("evil", 3, SyntheticCrowd.Kind.ADVERSARIAL, 0.2, 0));
        crowd = SyntheticCrowd.generate(21, 3_000, 5, new double[] {0.5, 0.5}, annotators, 0, true);
        fit = new PositionAwareDawidSkene().fit(crowd.data());
    }

    @Test
    void profile_alwaysFirstClicker_isFlaggedPositionBiasedAndSpammer() {
        AnnotatorProfile p = fit.model().profile("click0");
        assertThat(p.pFirstShown()).isGreaterThan(0.95);
        assertThat(p.accuracy()).isCloseTo(0.5, within(0.05));
        assertThat(fit.model().flags("click0", FlagThresholds.DEFAULTS))
                .containsExactlyInAnyOrder(AnnotatorFlag.POSITION_BIASED, AnnotatorFlag.SPAMMER);
    }

    @Test
    void profile_partlyBiased_isFlaggedWithItsRateOfPickingFirst() {
        // picks first with 0.6 + 0.4 / 2 = 0.8, accuracy 0.6 / 2 + 0.4 * 0.85 = 0.64
        AnnotatorProfile p = fit.model().profile("lean0");
        assertThat(p.pFirstShown()).isCloseTo(0.8, within(0.05));
        assertThat(p.accuracy()).isCloseTo(0.64, within(0.05));
        assertThat(fit.model().flags("lean0", FlagThresholds.DEFAULTS)).contains(AnnotatorFlag.POSITION_BIASED);
    }

    @Test
    void profile_otherKinds_areFlaggedForWhatTheyAre() {
        assertThat(fit.model().profile("good0").accuracy()).isCloseTo(0.85, within(0.04));
        assertThat(fit.model().profile("good0").pFirstShown()).isCloseTo(0.5, within(0.06));
        assertThat(fit.model().flags("good0", FlagThresholds.DEFAULTS)).isEmpty();
        assertThat(fit.model().flags("spam0", FlagThresholds.DEFAULTS)).containsExactly(AnnotatorFlag.SPAMMER);
        assertThat(fit.model().flags("evil0", FlagThresholds.DEFAULTS)).containsExactly(AnnotatorFlag.ADVERSARIAL);
    }

    @Test
    void fit_biasedCrowd_beatsMajorityVoteAndPlainDawidSkene() {
        double positionAware = crowd.accuracy(fit);
        double ds = crowd.accuracy(new DawidSkeneAggregator().fit(crowd.data()));
        double mv = crowd.accuracy(new MajorityVoteAggregator().fit(crowd.data()));
        assertThat(positionAware).isGreaterThan(0.9).isGreaterThan(ds).isGreaterThan(mv + 0.05);
    }

    @Test
    void posterior_clickerVote_isDiscounted() {
        PositionAwareModel m = fit.model();
        double prior = m.priors()[0];
        // a vote for class 0 shown first: from a clicker it says nothing, from a good annotator a lot
        double fromClicker = m.posterior(List.of(new Vote("click0", 0, 0)))[0];
        double fromGood = m.posterior(List.of(new Vote("good0", 0, 0)))[0];
        assertThat(fromClicker).isCloseTo(prior, within(0.03));
        assertThat(fromGood).isGreaterThan(0.8);
        // a partly biased annotator's vote against the position it favours is the stronger evidence
        double leanFirst = m.posterior(List.of(new Vote("lean0", 0, 0)))[0];
        double leanSecond = m.posterior(List.of(new Vote("lean0", 0, 1)))[0];
        assertThat(leanSecond).isGreaterThan(leanFirst + 0.1);
    }

    @Test
    void posterior_unknownOrder_averagesBothOrders() {
        PositionAwareModel m = fit.model();
        double[][] rho = m.displayConfusion("lean0");
        double[] p = m.priors();
        // P(label 0 | z = c) = (rho[c][0] + rho[1-c][1]) / 2
        double l0 = (rho[0][0] + rho[1][1]) / 2;
        double l1 = (rho[1][0] + rho[0][1]) / 2;
        double expected = p[0] * l0 / (p[0] * l0 + p[1] * l1);
        assertThat(m.posterior(List.of(Vote.of("lean0", 0)))[0]).isCloseTo(expected, within(1e-12));
    }

    @Test
    void fit_moreThanTwoClasses_isRefused() {
        CrowdDataset three = CrowdDataset.builder().add("i", "a", "x").add("i", "b", "y").add("i", "c", "z").build();
        assertThatThrownBy(() -> new PositionAwareDawidSkene().fit(three))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly 2 classes");
    }
}
