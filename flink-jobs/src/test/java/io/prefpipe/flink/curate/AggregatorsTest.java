package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.aggregate.MajorityVote;
import io.prefpipe.labeling.aggregate.ModelAggregator;
import io.prefpipe.labeling.aggregate.PairLabel;
import io.prefpipe.labeling.aggregate.PairwiseDatasets;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.DawidSkeneAggregator;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorsTest {
    private static final AnnotatorModel DS_MODEL = new DawidSkeneAggregator().fit(PairwiseDatasets.fromVotes(List.of(
            new PairwiseVote("e1", "a", new ResponsePair("r1", "r2"), Outcome.FIRST, ShownFirst.UNKNOWN),
            new PairwiseVote("e2", "b", new ResponsePair("r1", "r2"), Outcome.SECOND, ShownFirst.UNKNOWN)))
            .dataset()).model();

    @Test
    void names_areTheFiveMethods() {
        assertThat(Aggregators.names()).containsExactly("ds", "ds-position", "glad", "mv", "wawa");
    }

    @Test
    void estimator_everyKnownName_isTheMethodOfThatName() {
        assertThat(Aggregators.names()).allSatisfy(name ->
                assertThat(Aggregators.estimator(name).name()).isEqualTo(name));
    }

    /** Every method fits a pairwise window, crosses the broadcast as bytes, and decides a new pair with the copy. */
    @Test
    void everyMethod_fitsTravelsAndDecides() throws Exception {
        List<PairwiseVote> window = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ResponsePair pair = new ResponsePair("r" + i, "s" + i);
            Outcome truth = i % 2 == 0 ? Outcome.FIRST : Outcome.SECOND;
            Outcome wrong = truth == Outcome.FIRST ? Outcome.SECOND : Outcome.FIRST;
            ShownFirst shown = i % 3 == 0 ? ShownFirst.FIRST : ShownFirst.SECOND;
            window.add(new PairwiseVote("g" + i, "good", pair, truth, shown));
            window.add(new PairwiseVote("f" + i, "fair", pair, i % 4 == 0 ? wrong : truth, shown));
            window.add(new PairwiseVote("h" + i, "honest", pair, i % 5 == 0 ? wrong : truth, shown));
        }
        ResponsePair fresh = new ResponsePair("x", "y");
        List<PairwiseVote> votes = List.of(new PairwiseVote("n1", "good", fresh, Outcome.SECOND, ShownFirst.FIRST),
                new PairwiseVote("n2", "honest", fresh, Outcome.SECOND, ShownFirst.SECOND));

        for (String name : Aggregators.names()) {
            AnnotatorModel fitted = Aggregators.estimator(name).fit(PairwiseDatasets.fromVotes(window).dataset())
                    .model();
            AnnotatorModel received = AnnotatorModelUpdate.of(1, Instant.EPOCH, window.size(), fitted)
                    .deserialize(getClass().getClassLoader());

            PairLabel label = Aggregators.decider(name, received).aggregate(fresh, votes);

            assertThat(received.method()).as(name).isEqualTo(name);
            assertThat(label.decided()).as(name).isEqualTo(Outcome.SECOND);
            assertThat(label.pFirst()).as(name).isEqualTo(Aggregators.decider(name, fitted).aggregate(fresh, votes)
                    .pFirst());
        }
    }

    @Test
    void decider_modelBasedWithAModel_decidesWithTheModel() {
        assertThat(Aggregators.decider("ds", DS_MODEL)).isInstanceOf(ModelAggregator.class)
                .extracting(a -> a.name()).isEqualTo("model-ds");
        assertThat(Aggregators.decidesWithModel("ds")).isTrue();
    }

    @Test
    void decider_beforeTheFirstModel_isMajorityVote() {
        assertThat(Aggregators.decider("ds", null)).isInstanceOf(MajorityVote.class);
    }

    @Test
    void decider_mvEvenWithAModel_isMajorityVote() {
        assertThat(Aggregators.decider("mv", DS_MODEL)).isInstanceOf(MajorityVote.class);
        assertThat(Aggregators.decidesWithModel("mv")).isFalse();
    }

    @Test
    void estimator_unknownName_listsTheKnownOnes() {
        assertThatThrownBy(() -> Aggregators.estimator("dawid-skene"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aggregator 'dawid-skene' is unknown; known: [ds, ds-position, glad, mv, wawa]");
        assertThatThrownBy(() -> Aggregators.decider("dawid-skene", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
