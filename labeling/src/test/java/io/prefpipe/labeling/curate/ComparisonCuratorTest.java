package io.prefpipe.labeling.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void curate_posteriorBelowTheAmbiguityThreshold_filtersEveryVoterAsAmbiguous() {
        List<ComparisonCurator.Observed> threeToTwo = List.of(
                vote("e1", CONTENT, Judgement.Choice.of("r1")), vote("e2", CONTENT, Judgement.Choice.of("r1")),
                vote("e3", CONTENT, Judgement.Choice.of("r1")), vote("e4", CONTENT, Judgement.Choice.of("r2")),
                vote("e5", CONTENT, Judgement.Choice.of("r2")));

        CurationResult strict = new ComparisonCurator(new MajorityVote(), 0.7).curate(threeToTwo);
        CurationResult atThePosterior = new ComparisonCurator(new MajorityVote(), 0.6).curate(threeToTwo);

        assertThat(strict.pairs()).isEmpty();
        assertThat(strict.curatedEventIds()).isEmpty();
        assertThat(strict.filtered()).containsOnlyKeys("e1", "e2", "e3", "e4", "e5")
                .allSatisfy((id, reason) -> assertThat(reason).isEqualTo(FilterReason.AMBIGUOUS));
        // p(chosen) = 3/5 is not below 0.6
        assertThat(atThePosterior.pairs()).singleElement().extracting(CuratedPair::pChosen).isEqualTo(0.6);
    }

    @Test
    void curate_tieUnderAThreshold_staysATie() {
        CurationResult r = new ComparisonCurator(new MajorityVote(), 0.9).curate(List.of(
                vote("e1", CONTENT, Judgement.Choice.of("r1")), vote("e2", CONTENT, Judgement.Choice.of("r2"))));
        assertThat(r.filtered()).containsOnlyKeys("e1", "e2").containsValue(FilterReason.TIE)
                .doesNotContainValue(FilterReason.AMBIGUOUS);
    }

    @Test
    void constructor_thresholdOutsideHalfToOne_namesTheField() {
        assertThatThrownBy(() -> new ComparisonCurator(new MajorityVote(), 0.4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ambiguityThreshold must be in [0.5, 1], got 0.4");
        assertThatThrownBy(() -> new ComparisonCurator(new MajorityVote(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameText_ignoresSurroundingWhiteSpaceAndRefusesUnknownIds() {
        Comparison c = new Comparison("c1", "How?",
                List.of(new ResponseText("r1", " Same.\n", null), new ResponseText("r2", "Same.", null),
                        new ResponseText("r3", "Other.", null)));
        assertThat(c.sameText("r1", "r2")).isTrue();
        assertThat(c.sameText("r1", "r3")).isFalse();
        assertThatThrownBy(() -> c.sameText("r1", "r9")).hasMessageContaining("r9");
    }
}
