package io.prefpipe.labeling.pairwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairwiseDecompositionTest {

    private static AnnotatedJudgement judgement(List<String> ids, Judgement j, List<String> shown) {
        return new AnnotatedJudgement("e", "a", ids, j, shown);
    }

    @Test
    void votes_choiceOfSecondListedResponse_votesForItOnTheCanonicalPair() {
        List<PairwiseVote> votes = PairwiseDecomposition.votes(
                judgement(List.of("r2", "r1"), Judgement.Choice.of("r1"), List.of("r2", "r1")));
        assertThat(votes).singleElement().satisfies(v -> {
            assertThat(v.pair()).isEqualTo(new ResponsePair("r1", "r2"));
            assertThat(v.outcome()).isEqualTo(Outcome.FIRST);
            assertThat(v.shownFirst()).isEqualTo(ShownFirst.SECOND);
        });
    }

    @Test
    void votes_bestOfThreeChoice_saysNothingAboutTheOtherTwo() {
        List<PairwiseVote> votes = PairwiseDecomposition.votes(
                judgement(List.of("a", "b", "c"), Judgement.Choice.of("c"), List.of()));
        assertThat(votes).extracting(PairwiseVote::pair, PairwiseVote::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(new ResponsePair("a", "c"), Outcome.SECOND),
                org.assertj.core.groups.Tuple.tuple(new ResponsePair("b", "c"), Outcome.SECOND));
        assertThat(votes).allMatch(v -> v.shownFirst() == ShownFirst.UNKNOWN);
    }

    @Test
    void votes_ranking_votesOnEveryPairEarlierBeatsLater() {
        List<PairwiseVote> votes = PairwiseDecomposition.votes(
                judgement(List.of("a", "b", "c"), new Judgement.Ranking(List.of("b", "c", "a")), List.of()));
        assertThat(votes).hasSize(3);
        assertThat(votes).filteredOn(v -> v.pair().equals(new ResponsePair("a", "b")))
                .extracting(PairwiseVote::outcome).containsExactly(Outcome.SECOND);
        assertThat(votes).filteredOn(v -> v.pair().equals(new ResponsePair("b", "c")))
                .extracting(PairwiseVote::outcome).containsExactly(Outcome.FIRST);
        assertThat(votes).filteredOn(v -> v.pair().equals(new ResponsePair("a", "c")))
                .extracting(PairwiseVote::outcome).containsExactly(Outcome.SECOND);
    }

    @Test
    void votes_ratings_equalScoresTieAndUnratedResponsesGetNoVote() {
        List<PairwiseVote> votes = PairwiseDecomposition.votes(judgement(List.of("a", "b", "c"),
                new Judgement.Ratings(Map.of("a", 3.0, "b", 3.0)), List.of()));
        assertThat(votes).singleElement().extracting(PairwiseVote::outcome).isEqualTo(Outcome.TIE);
    }

    @Test
    void votes_tie_tiesEveryPair() {
        assertThat(PairwiseDecomposition.votes(judgement(List.of("x", "y"), Judgement.Choice.ofTie(), List.of())))
                .singleElement().extracting(PairwiseVote::outcome).isEqualTo(Outcome.TIE);
    }
}
