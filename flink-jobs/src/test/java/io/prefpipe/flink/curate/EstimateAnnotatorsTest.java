package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link EstimateAnnotators} in Flink's operator test harness, whose processing time moves only when told: refits by
 * vote count keep to the estimator's share of time.
 */
class EstimateAnnotatorsTest {
    private static final long START = 1_000;

    @Test
    void refitsByCount_waitUntilTheLastFitIsTheAllowedShareOfTheTimeSince() throws Exception {
        // a share of 0.001: after a fit that took t, wait 999 t (at least 1 ms, as no fit takes no time)
        try (var harness = open(0.001)) {
            send(harness, 0, 10);
            assertThat(harness.extractOutputValues()).extracting(AnnotatorModelUpdate::windowVotes).containsExactly(10);

            send(harness, 10, 10);
            assertThat(harness.extractOutputValues()).as("the second fit by count waits").hasSize(1);

            // the wait is over long before the refit interval (1 h): this fit is the one the count asked for
            harness.setProcessingTime(START + Duration.ofMinutes(10).toMillis());
            assertThat(harness.extractOutputValues()).extracting(AnnotatorModelUpdate::windowVotes)
                    .containsExactly(10, 20);
        }
    }

    @Test
    void timeShareOne_refitsAtEveryCountWithoutWaiting() throws Exception {
        try (var harness = open(1.0)) {
            send(harness, 0, 30);

            assertThat(harness.extractOutputValues()).extracting(AnnotatorModelUpdate::windowVotes)
                    .containsExactly(10, 20, 30);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowVote, AnnotatorModelUpdate> open(
            double maxTimeShare) throws Exception {
        EstimateAnnotators estimator = new EstimateAnnotators("mv", 1_000, 10, Duration.ofHours(1), maxTimeShare);
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(estimator),
                v -> EstimateAnnotators.KEY, Types.STRING);
        harness.setProcessingTime(START);
        harness.open();
        return harness;
    }

    /** Votes {@code from} to {@code from + n - 1}, each on its own comparison, by one of three annotators. */
    private static void send(KeyedOneInputStreamOperatorTestHarness<String, WindowVote, AnnotatorModelUpdate> harness,
            int from, int n) throws Exception {
        for (int i = from; i < from + n; i++) {
            PairwiseVote vote = new PairwiseVote("e" + i, "annotator-" + i % 3, new ResponsePair("a" + i, "b" + i),
                    i % 4 == 0 ? Outcome.SECOND : Outcome.FIRST, ShownFirst.UNKNOWN);
            harness.processElement(WindowVote.of("c" + i, vote), i);
        }
    }
}
