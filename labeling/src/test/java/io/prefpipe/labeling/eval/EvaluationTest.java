package io.prefpipe.labeling.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.MajorityVoteAggregator;
import io.prefpipe.labeling.crowd.MajorityVoteModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    // q1: x (decided), q2: x|y tie, q3: x|y|z three-way tie, q4: y, q5: no truth
    private static final CrowdDataset DATA = CrowdDataset.builder().setClasses(List.of("x", "y", "z"))
            .add("q1", "a", "x").add("q1", "b", "x")
            .add("q2", "a", "x").add("q2", "b", "y")
            .add("q3", "a", "x").add("q3", "b", "y").add("q3", "c", "z")
            .add("q4", "a", "y")
            .add("q5", "a", "z")
            .build();
    private static final AggregationResult<MajorityVoteModel> MV = new MajorityVoteAggregator().fit(DATA);

    @Test
    void accuracy_undecidedItems_earnOneOverTheTiedClasses() {
        GoldLabels gold = GoldLabels.of(DATA, Map.of("q1", "x", "q2", "y", "q3", "z", "q4", "x"));
        AccuracyReport r = Evaluation.accuracy(MV, gold);
        assertThat(r.itemsWithTruth()).isEqualTo(4);
        assertThat(r.decided()).isEqualTo(2);
        assertThat(r.correct()).isEqualTo(1);
        assertThat(r.undecidedCredit()).isCloseTo(0.5 + 1.0 / 3, within(1e-12));
        assertThat(r.accuracy()).isCloseTo((1 + 0.5 + 1.0 / 3) / 4, within(1e-12));
        assertThat(r.strictAccuracy()).isEqualTo(0.25);
        assertThat(r.coverage()).isEqualTo(0.5);
    }

    @Test
    void accuracy_truthOutsideTheTie_earnsNothing() {
        GoldLabels gold = GoldLabels.of(DATA, Map.of("q2", "z"));
        assertThat(Evaluation.accuracy(MV, gold).accuracy()).isZero();
    }

    @Test
    void accuracy_goldOfAnotherDataset_isRefused() {
        CrowdDataset other = CrowdDataset.builder().add("zz", "a", "x").add("zz", "b", "y").build();
        assertThatThrownBy(() -> Evaluation.accuracy(MV, GoldLabels.of(other, Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
