package io.prefpipe.labeling.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.labeling.aggregate.MajorityVote;
import io.prefpipe.labeling.pairwise.AnnotatedJudgement;
import io.prefpipe.labeling.pairwise.Judgement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonCuratorTest {
    private static final Comparison CONTENT = new Comparison("c1", "How?",
            List.of(new ResponseText("r1", "Like this.", "v1"), new ResponseText("r2", "No.", null)));
    private final ComparisonCurator curator = new ComparisonCurator(new MajorityVote());

    private static ComparisonCurator.Observed vote(String eventId, Comparison content, Judgement j) {
        List<String> ids = content.responses().stream().map(ResponseText::id).toList();
        return new ComparisonCurator.Observed(content, new AnnotatedJudgement(eventId, "ann-" + eventId, ids, j,
                List.of()));
    }

    @Test
    void curate_majority_emitsOnePairAndCountsEveryVoterAsCurated() {
        CurationResult r = curator.curate(List.of(
                vote("e1", CONTENT, Judgement.Choice.of("r1")),
                vote("e2", CONTENT, Judgement.Choice.of("r2")),
                vote("e3", CONTENT, Judgement.Choice.of("r1"))));
        assertThat(r.pairs()).singleElement().satisfies(p -> {
            assertThat(p.chosen().id()).isEqualTo("r1");
            assertThat(p.chosen().policyVersion()).isEqualTo("v1");
            assertThat(p.rejected().id()).isEqualTo("r2");
            assertThat(p.pChosen()).isEqualTo(2.0 / 3);
            assertThat(p.voteCount()).isEqualTo(3);
            assertThat(p.sourceEventIds()).containsExactly("e1", "e2", "e3");
            assertThat(p.pairId()).isEqualTo(ComparisonCurator.pairId("c1", "r1", "r2")).hasSize(32);
        });
        assertThat(r.curatedEventIds()).containsExactly("e1", "e2", "e3");
        assertThat(r.filtered()).isEmpty();
    }

    @Test
    void curate_evenSplit_filtersEveryEventAsTie() {
        CurationResult r = curator.curate(List.of(
                vote("e1", CONTENT, Judgement.Choice.of("r1")), vote("e2", CONTENT, Judgement.Choice.of("r2"))));
        assertThat(r.pairs()).isEmpty();
        assertThat(r.filtered()).containsOnlyKeys("e1", "e2").containsValue(FilterReason.TIE);
    }

    @Test
    void curate_identicalTexts_areNeverEmitted() {
        Comparison same = new Comparison("c1", "How?",
                List.of(new ResponseText("r1", "Same. ", null), new ResponseText("r2", "Same.", null)));
        CurationResult r = curator.curate(List.of(vote("e1", same, Judgement.Choice.of("r1"))));
        assertThat(r.pairs()).isEmpty();
        assertThat(r.filtered()).containsEntry("e1", FilterReason.IDENTICAL_RESPONSES);
    }

    @Test
    void curate_laterEventWithOtherContent_isFilteredAsInconsistent() {
        Comparison other = new Comparison("c1", "Why?", CONTENT.responses());
        CurationResult r = curator.curate(List.of(
                vote("e1", CONTENT, Judgement.Choice.of("r1")), vote("e2", other, Judgement.Choice.of("r2"))));
        assertThat(r.pairs()).singleElement().extracting(p -> p.chosen().id()).isEqualTo("r1");
        assertThat(r.curatedEventIds()).containsExactly("e1");
        assertThat(r.filtered()).containsEntry("e2", FilterReason.INCONSISTENT_COMPARISON);
    }

    @Test
    void curate_rankingOverThree_emitsEveryDecidedPairOnce() {
        Comparison three = new Comparison("c3", "Pick", List.of(new ResponseText("a", "A", null),
                new ResponseText("b", "B", null), new ResponseText("c", "C", null)));
        CurationResult r = curator.curate(List.of(
                vote("e1", three, new Judgement.Ranking(List.of("c", "b", "a"))),
                vote("e2", three, new Judgement.Ranking(List.of("c", "a", "b")))));
        // c beats a and b twice; a vs b is split one to one, so undecided
        assertThat(r.pairs()).extracting(p -> p.chosen().id() + ">" + p.rejected().id())
                .containsExactlyInAnyOrder("c>a", "c>b");
        assertThat(r.pairs()).extracting(CuratedPair::pairId).doesNotHaveDuplicates();
        assertThat(r.curatedEventIds()).containsExactly("e1", "e2");
    }
}
