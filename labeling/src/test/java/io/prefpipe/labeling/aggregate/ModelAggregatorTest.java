package io.prefpipe.labeling.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.crowd.PositionAwareDawidSkene;
import io.prefpipe.labeling.crowd.PositionAwareModel;
import io.prefpipe.labeling.curate.Comparison;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.CurationResult;
import io.prefpipe.labeling.curate.ResponseText;
import io.prefpipe.labeling.pairwise.AnnotatedJudgement;
import io.prefpipe.labeling.pairwise.Judgement;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelAggregatorTest {
    private static final ResponsePair PAIR = new ResponsePair("r1", "r2");
    private static PositionAwareModel model;

    /**
     * A window of 400 comparisons: r1 is better in even ones. "good" annotators are right 90% of the time; "click"
     * always picks the response shown first. Display order is random.
     */
    @BeforeAll
    static void fitOnAWindow() {
        SplittableRandom random = new SplittableRandom(5);
        Map<String, List<PairwiseVote>> window = new LinkedHashMap<>();
        for (int c = 0; c < 400; c++) {
            boolean firstBetter = c % 2 == 0;
            List<PairwiseVote> votes = new ArrayList<>();
            for (String annotator : List.of("good1", "good2", "good3", "click")) {
                ShownFirst shown = random.nextBoolean() ? ShownFirst.FIRST : ShownFirst.SECOND;
                boolean picksFirst = annotator.equals("click") ? shown == ShownFirst.FIRST
                        : firstBetter == random.nextDouble() < 0.9;
                votes.add(new PairwiseVote("e" + c + annotator, annotator, PAIR,
                        picksFirst ? Outcome.FIRST : Outcome.SECOND, shown));
            }
            window.put("c" + c, votes);
        }
        model = new PositionAwareDawidSkene().fit(PairwiseDatasets.fromComparisons(window).dataset()).model();
    }

    private static PairwiseVote vote(String annotator, Outcome outcome, ShownFirst shown) {
        return new PairwiseVote("e-" + annotator, annotator, PAIR, outcome, shown);
    }

    @Test
    void aggregate_clickerAgainstAGoodAnnotator_followsTheGoodOne() {
        PairLabel label = new ModelAggregator(model).aggregate(PAIR, List.of(
                vote("click", Outcome.FIRST, ShownFirst.FIRST), vote("good1", Outcome.SECOND, ShownFirst.FIRST)));
        assertThat(label.decided()).isEqualTo(Outcome.SECOND);
        assertThat(label.pFirst()).isLessThan(0.2);
        assertThat(label.voteCount()).isEqualTo(2);
        assertThat(label.agreement()).isEqualTo(0.5);
    }

    @Test
    void aggregate_onlyTies_isUndecidedWhateverThePrior() {
        PairLabel label = new ModelAggregator(model).aggregate(PAIR,
                List.of(vote("good1", Outcome.TIE, ShownFirst.FIRST)));
        assertThat(label.decided()).isEqualTo(Outcome.TIE);
        assertThat(label.pFirst()).isEqualTo(0.5);
    }

    @Test
    void aggregate_voteOnAnotherPair_isRefused() {
        PairwiseVote other = new PairwiseVote("e9", "good1", new ResponsePair("r1", "r3"), Outcome.FIRST,
                ShownFirst.UNKNOWN);
        assertThatThrownBy(() -> new ModelAggregator(model).aggregate(PAIR, List.of(other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event e9");
    }

    @Test
    void constructor_modelOfOtherClasses_isRefused() {
        AggregationResult<?> notPairwise = new DawidSkeneAggregator().fit(CrowdDataset
                .builder().add("i", "a", "yes").add("i", "b", "no").build());
        assertThatThrownBy(() -> new ModelAggregator(notPairwise.model()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[FIRST, SECOND]");
    }

    @Test
    void curate_withModelAggregator_emitsThePairTheModelDecides() {
        Comparison content = new Comparison("c-new", "How?",
                List.of(new ResponseText("r1", "Like this.", null), new ResponseText("r2", "No.", null)));
        ModelAggregator aggregator = new ModelAggregator(model);
        CurationResult r = new ComparisonCurator(aggregator).curate(List.of(
                new ComparisonCurator.Observed(content, new AnnotatedJudgement("e1", "click", List.of("r1", "r2"),
                        Judgement.Choice.of("r1"), List.of("r1", "r2"))),
                new ComparisonCurator.Observed(content, new AnnotatedJudgement("e2", "good2", List.of("r1", "r2"),
                        Judgement.Choice.of("r2"), List.of("r1", "r2")))));
        assertThat(r.pairs()).singleElement().satisfies(p -> {
            assertThat(p.chosen().id()).isEqualTo("r2");
            assertThat(p.aggregator()).isEqualTo("model-ds-position");
        });
        // majority vote cannot decide the same votes
        assertThat(new ComparisonCurator(new MajorityVote()).curate(List.of(
                new ComparisonCurator.Observed(content, new AnnotatedJudgement("e1", "click", List.of("r1", "r2"),
                        Judgement.Choice.of("r1"), List.of("r1", "r2"))),
                new ComparisonCurator.Observed(content, new AnnotatedJudgement("e2", "good2", List.of("r1", "r2"),
                        Judgement.Choice.of("r2"), List.of("r1", "r2"))))).pairs()).isEmpty();
    }
}
