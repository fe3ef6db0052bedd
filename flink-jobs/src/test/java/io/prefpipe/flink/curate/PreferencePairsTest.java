package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.ab;
import static io.prefpipe.flink.curate.TestEvents.choice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.aggregate.PairwiseDatasets;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.curate.Comparison;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.labeling.curate.ResponseText;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.schema.Voter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferencePairsTest {
    private static final ResponseText A = new ResponseText("a", "text a", "p1");
    private static final ResponseText B = new ResponseText("b", "text b", null);
    private static final CuratedPair PAIR = new CuratedPair("id-1", new Comparison("c1", "prompt", List.of(A, B)), B,
            A, 0.8, 5, 0.6, "mv", List.of("e1", "e3"));
    private static final Map<String, FeedbackEvent> EVENTS = Map.of(
            "e1", choice("e1", "c1", "prompt", ab(), "b", Instant.parse("2025-01-01T00:00:05Z")),
            "e2", choice("e2", "c1", "prompt", ab(), "a", Instant.parse("2025-01-01T00:09:00Z")),
            "e3", choice("e3", "c1", "prompt", ab(), "b", Instant.parse("2025-01-01T00:00:07Z")));

    @Test
    void toAvro_byMajorityVote_copiesEveryFieldAndLeavesTheModelFieldsEmpty() {
        PreferencePair p = PreferencePairs.toAvro(PAIR, EVENTS);

        assertThat(p.getPairId()).isEqualTo("id-1");
        assertThat(p.getComparisonId()).isEqualTo("c1");
        assertThat(p.getPrompt()).isEqualTo("prompt");
        assertThat(p.getChosenId()).isEqualTo("b");
        assertThat(p.getChosen()).isEqualTo("text b");
        assertThat(p.getChosenPolicyVersion()).isNull();
        assertThat(p.getRejectedId()).isEqualTo("a");
        assertThat(p.getRejected()).isEqualTo("text a");
        assertThat(p.getRejectedPolicyVersion()).isEqualTo("p1");
        assertThat(p.getPChosen()).isEqualTo(0.8);
        assertThat(p.getVoteCount()).isEqualTo(5);
        assertThat(p.getAgreement()).isEqualTo(0.6);
        assertThat(p.getAggregator()).isEqualTo("mv");
        assertThat(p.getSourceEventIds()).containsExactly("e1", "e3");
        // e2 is in the comparison but did not vote on this pair
        assertThat(p.getLastEventTime()).isEqualTo(Instant.parse("2025-01-01T00:00:07Z"));
        assertThat(p.getVoters()).containsExactly(new Voter("e1", "annotator-e1", null),
                new Voter("e3", "annotator-e3", null));
        assertThat(p.getModelVersion()).isNull();
        assertThat(p.getModelTime()).isNull();
        assertThat(p.getModelVotes()).isNull();
    }

    @Test
    void toAvro_byAModel_recordsEachVotersAccuracyAndTheModel() {
        ResponsePair ab = new ResponsePair("a", "b");
        AnnotatorModel model = new DawidSkeneAggregator().fit(PairwiseDatasets.fromVotes(List.of(
                new PairwiseVote("x1", "annotator-e1", ab, Outcome.SECOND, ShownFirst.UNKNOWN),
                new PairwiseVote("x2", "annotator-e3", ab, Outcome.SECOND, ShownFirst.UNKNOWN))).dataset()).model();
        DecidingModel deciding = new DecidingModel(7, T0, 2, model);

        PreferencePair p = PreferencePairs.toAvro(PAIR, EVENTS, deciding);

        assertThat(p.getVoters()).extracting(Voter::getAnnotatorId).containsExactly("annotator-e1", "annotator-e3");
        assertThat(p.getVoters()).extracting(Voter::getAccuracy).containsExactly(
                model.profile("annotator-e1").accuracy(), model.profile("annotator-e3").accuracy());
        assertThat(p.getModelVersion()).isEqualTo(7L);
        assertThat(p.getModelTime()).isEqualTo(T0);
        assertThat(p.getModelVotes()).isEqualTo(2);
    }

    @Test
    void toAvro_missingSourceEvent_namesTheEvent() {
        assertThatThrownBy(() -> PreferencePairs.toAvro(PAIR, Map.of("e1", EVENTS.get("e1")), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e3");
    }
}
