package io.prefpipe.app.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static io.prefpipe.app.monitor.TestPipelineData.FIT_1;
import static io.prefpipe.app.monitor.TestPipelineData.FIT_2;
import static io.prefpipe.app.monitor.TestPipelineData.deadLetter;
import static io.prefpipe.app.monitor.TestPipelineData.estimate;
import static io.prefpipe.app.monitor.TestPipelineData.pair;

import io.prefpipe.app.monitor.MonitorSnapshot.AnnotatorRow;
import io.prefpipe.app.monitor.MonitorSnapshot.NoisePoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorStateTest {
    @Test
    void snapshot_annotatorFits_estimateNoisePerFitAndDriftPerAnnotator() {
        MonitorState state = new MonitorState(100);
        state.annotator(estimate("good", 1, FIT_1, 0.9, 300, List.of()));
        state.annotator(estimate("spam", 1, FIT_1, 0.5, 100, List.of("SPAMMER")));
        state.annotator(estimate("good", 2, FIT_2, 0.8, 600, List.of()));
        state.annotator(estimate("spam", 2, FIT_2, 0.55, 200, List.of("SPAMMER")));
        state.pair(pair("a", "x", "y", 0.9, 1.0, 3, 2L, FIT_2));
        state.pair(pair("b", "x", "y", 0.7, 0.5, 2, 2L, FIT_2));

        MonitorSnapshot s = state.snapshot(0);

        assertThat(s.labelNoise()).extracting(NoisePoint::modelVersion).containsExactly(1L, 2L);
        // fit 1: (300 * 0.1 + 100 * 0.5) / 400; fit 2: (600 * 0.2 + 200 * 0.45) / 800
        assertThat(s.labelNoise().get(0).judgementFlipRate()).isCloseTo(0.2, within(1e-9));
        assertThat(s.labelNoise().get(1).judgementFlipRate()).isCloseTo(0.2625, within(1e-9));
        assertThat(s.labelNoise().get(0).decidedErrorRate()).isNull();
        assertThat(s.labelNoise().get(1).decidedErrorRate()).isCloseTo(0.2, within(1e-9));
        assertThat(s.labelNoise().get(1).decidedPairs()).isEqualTo(2);
        assertThat(s.latestLabelNoise().modelVersion()).isEqualTo(2);

        assertThat(s.annotators()).extracting(AnnotatorRow::annotatorId).containsExactly("good", "spam");
        AnnotatorRow good = s.annotators().get(0);
        assertThat(good.modelVersion()).isEqualTo(2);
        assertThat(good.accuracy()).isEqualTo(0.8);
        assertThat(good.accuracyDrift()).isCloseTo(-0.1, within(1e-9));
        assertThat(good.history()).hasSize(2);
        assertThat(good.estimates().get("p(SECOND|FIRST)")).as("the newest fit's own estimates")
                .isCloseTo(0.2, within(1e-9));
        assertThat(s.annotators().get(1).flags()).containsExactly("SPAMMER");
        assertThat(s.stages().annotatorEstimates()).isEqualTo(4);
    }

    @Test
    void snapshot_restartedJobCountsVersionsFromOneAgain_keepsBothFitsApart() {
        MonitorState state = new MonitorState(100);
        state.annotator(estimate("a", 1, FIT_1, 0.9, 10, List.of()));
        state.annotator(estimate("a", 1, FIT_2, 0.7, 10, List.of()));

        assertThat(state.snapshot(0).labelNoise()).extracting(NoisePoint::judgementFlipRate)
                .satisfiesExactly(r -> assertThat(r).isCloseTo(0.1, within(1e-9)),
                        r -> assertThat(r).isCloseTo(0.3, within(1e-9)));
    }

    @Test
    void snapshot_pairs_fillLabelAndLengthDistributions() {
        MonitorState state = new MonitorState(100);
        state.pair(pair("a", "longer answer", "short", 1.0, 1.0, 3, null, null));
        state.pair(pair("b", "s", "a much longer rejected answer, over thirty-two chars", 0.52, 0.5, 12, null, null));
        state.pair(pair("c", "same", "same", 0.75, 2.0 / 3, 3, null, null));

        MonitorSnapshot.PairDistributions p = state.snapshot(0).pairs();

        assertThat(p.pairs()).isEqualTo(3);
        // p_chosen bins of 0.05 from 0.5; 1.0 falls into the last bin
        assertThat(p.pChosen().counts()).containsExactly(1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 1L);
        assertThat(p.votes().counts().get(2)).isEqualTo(2);
        assertThat(p.votes().counts().get(9)).as("12 votes count in the last bin, 10+").isEqualTo(1);
        assertThat(p.chosenChars().counts().get(0)).isEqualTo(3);
        assertThat(p.rejectedChars().counts().get(0)).isEqualTo(2);
        assertThat(p.rejectedChars().counts().get(2)).isEqualTo(1);
        assertThat(p.chosenLongerShare()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(p.meanAgreement()).isCloseTo((1.0 + 0.5 + 2.0 / 3) / 3, within(1e-9));
        assertThat(p.byAggregator()).containsExactly(Map.entry("mv", 3L));
        assertThat(state.snapshot(0).labelNoise()).as("majority vote decides without a fit").isEmpty();
    }

    @Test
    void sample_ratesLagAndBoundedHistory() {
        MonitorState state = new MonitorState(3);
        state.deadLetter(deadLetter("empty_text"));
        state.deadLetter(deadLetter("empty_text"));
        state.deadLetter(deadLetter("missing_field"));
        state.sample(1_000, Map.of("feedback", 100L), null);
        state.sample(3_000, Map.of("feedback", 300L, "feedback.json", 100L), 50L);
        state.sample(4_000, Map.of("feedback", 300L, "feedback.json", 100L), 0L);
        state.sample(5_000, Map.of("feedback", 310L, "feedback.json", 100L), 0L);

        MonitorSnapshot s = state.snapshot(5_000);

        assertThat(s.throughput()).hasSize(3);
        assertThat(s.throughput().get(0).timeMillis()).isEqualTo(3_000);
        assertThat(s.throughput().get(0).eventsPerSecond()).isEqualTo(150.0);
        assertThat(s.throughput().get(0).consumerLag()).isEqualTo(50);
        assertThat(s.throughput().get(1).eventsPerSecond()).isEqualTo(0.0);
        assertThat(s.throughput().get(2).eventsPerSecond()).isEqualTo(10.0);
        assertThat(s.throughput().get(2).deadLetters()).isEqualTo(3);
        assertThat(s.stages().feedbackEvents()).isEqualTo(410);
        assertThat(s.stages().consumerLag()).isZero();
        assertThat(s.deadLettersByReason()).containsExactly(Map.entry("empty_text", 2L),
                Map.entry("missing_field", 1L));
    }

    @Test
    void snapshot_nothingRead_hasNoFiguresButEmptyHistograms() {
        MonitorSnapshot s = new MonitorState(10).snapshot(0);

        assertThat(s.curation()).isNull();
        assertThat(s.latestLabelNoise()).isNull();
        assertThat(s.pairs().meanAgreement()).isNull();
        assertThat(s.pairs().pChosen().total()).isZero();
        assertThat(s.annotators()).isEmpty();
    }
}
