package io.prefpipe.labeling.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.Vote;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairwiseDatasetsTest {
    private static final ResponsePair R1_R2 = new ResponsePair("r1", "r2");

    private static PairwiseVote vote(String annotator, Outcome outcome, ShownFirst shown) {
        return new PairwiseVote("e-" + annotator, annotator, R1_R2, outcome, shown);
    }

    @Test
    void fromComparisons_sameResponseIdsInTwoComparisons_areTwoItems() {
        Map<String, List<PairwiseVote>> byComparison = new LinkedHashMap<>();
        byComparison.put("c1", List.of(vote("a", Outcome.FIRST, ShownFirst.SECOND), vote("b", Outcome.TIE,
                ShownFirst.FIRST)));
        byComparison.put("c2", List.of(vote("a", Outcome.SECOND, ShownFirst.UNKNOWN)));
        PairwiseDatasets.Converted converted = PairwiseDatasets.fromComparisons(byComparison);
        CrowdDataset data = converted.dataset();

        assertThat(converted.tieVotes()).isEqualTo(1);
        assertThat(data.classes().ids()).containsExactly("FIRST", "SECOND");
        assertThat(data.items().ids()).containsExactly(PairwiseDatasets.itemKey("c1", R1_R2),
                PairwiseDatasets.itemKey("c2", R1_R2));
        assertThat(data.numJudgements()).isEqualTo(2);
        assertThat(data.label(0)).isZero();
        assertThat(data.shownFirst(0)).isEqualTo(1);
        assertThat(data.label(1)).isEqualTo(1);
        assertThat(data.shownFirst(1)).isEqualTo(CrowdDataset.UNKNOWN_POSITION);
    }

    @Test
    void fromVotes_keysByPairAlone() {
        PairwiseDatasets.Converted converted = PairwiseDatasets.fromVotes(List.of(vote("a", Outcome.FIRST,
                ShownFirst.FIRST), vote("b", Outcome.SECOND, ShownFirst.FIRST)));
        assertThat(converted.dataset().items().ids()).containsExactly("r1:r2");
        assertThat(converted.dataset().numJudgements()).isEqualTo(2);
    }

    @Test
    void itemKey_separatorsInIds_neverCollide() {
        assertThat(PairwiseDatasets.itemKey("a:b", ResponsePair.of("c", "d")))
                .isNotEqualTo(PairwiseDatasets.itemKey("a", ResponsePair.of("b:c", "d")));
        assertThat(PairwiseDatasets.itemKey(ResponsePair.of("a\\", "b"))).isEqualTo("a\\\\:b");
    }

    @Test
    void toVotes_mapsOutcomeAndDisplayOrderAndDropsTies() {
        List<Vote> votes = PairwiseDatasets.toVotes(List.of(vote("a", Outcome.SECOND, ShownFirst.SECOND),
                vote("b", Outcome.TIE, ShownFirst.FIRST), vote("c", Outcome.FIRST, ShownFirst.UNKNOWN)));
        assertThat(votes).containsExactly(new Vote("a", 1, 1), Vote.of("c", 0));
    }
}
