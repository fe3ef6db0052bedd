package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.labeling.aggregate.PairwiseDatasets;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.crowd.MajorityVoteAggregator;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import io.prefpipe.schema.AnnotatorEstimate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotatorEstimatesTest {
    private static final Instant FITTED = Instant.parse("2026-11-28T10:00:00Z");

    /** 40 pairs: three annotators who are always right, one who is always wrong. */
    private static List<PairwiseVote> votes() {
        List<PairwiseVote> votes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ResponsePair pair = new ResponsePair("r" + i, "s" + i);
            Outcome truth = i % 2 == 0 ? Outcome.FIRST : Outcome.SECOND;
            for (String a : List.of("g1", "g2", "g3")) {
                votes.add(new PairwiseVote(a + i, a, pair, truth, ShownFirst.UNKNOWN));
            }
            votes.add(new PairwiseVote("liar" + i, "liar", pair,
                    truth == Outcome.FIRST ? Outcome.SECOND : Outcome.FIRST, ShownFirst.UNKNOWN));
        }
        return votes;
    }

    @Test
    void toAvro_dawidSkene_carriesProfileFlagsAndConfusion() {
        AnnotatorModel model = new DawidSkeneAggregator().fit(PairwiseDatasets.fromVotes(votes()).dataset()).model();

        AnnotatorEstimate liar = AnnotatorEstimates.toAvro(model, "liar", 5, FITTED, 160);

        assertThat(liar.getAnnotatorId()).isEqualTo("liar");
        assertThat(liar.getMethod()).isEqualTo("ds");
        assertThat(liar.getAccuracy()).isLessThan(0.05);
        assertThat(liar.getInformativeness()).isGreaterThan(0.9);
        assertThat(liar.getPFirstShown()).isNull();
        assertThat(liar.getFlags()).containsExactly("ADVERSARIAL");
        assertThat(liar.getJudgements()).isEqualTo(40);
        assertThat(liar.getEstimates()).containsOnlyKeys(model.estimateNames())
                .containsEntry("p(SECOND|FIRST)", model.estimates("liar")[1]);
        assertThat(liar.getModelVersion()).isEqualTo(5);
        assertThat(liar.getModelTime()).isEqualTo(FITTED);
        assertThat(liar.getWindowVotes()).isEqualTo(160);
        assertThat(AnnotatorEstimates.toAvro(model, "g1", 5, FITTED, 160).getFlags()).isEmpty();
    }

    @Test
    void toAvro_methodWithoutInformativeness_writesNull() {
        AnnotatorModel model = new MajorityVoteAggregator().fit(PairwiseDatasets.fromVotes(votes()).dataset())
                .model();

        AnnotatorEstimate g1 = AnnotatorEstimates.toAvro(model, "g1", 1, FITTED, 160);

        assertThat(g1.getMethod()).isEqualTo("mv");
        assertThat(g1.getAccuracy()).isEqualTo(1.0);
        assertThat(g1.getInformativeness()).isNull();
        assertThat(g1.getEstimates()).isEmpty();
    }
}
