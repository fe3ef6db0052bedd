package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseDecomposition;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.schema.FeedbackEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each valid, deduplicated event into the pairwise votes the annotator model learns from. Ties are left out
 * (they say nothing about which response is better), and so are votes between responses with the same text (a coin
 * flip for everyone, which would make every annotator look like a spammer). Runs in parallel ahead of the single
 * estimator, so only these small votes cross the network to it, not whole events.
 */
final class WindowVotes implements FlatMapFunction<FeedbackEvent, WindowVote> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(FeedbackEvent event, Collector<WindowVote> out) {
        ComparisonCurator.Observed observed = FeedbackMapping.toObserved(event);
        for (PairwiseVote v : PairwiseDecomposition.votes(observed.judgement())) {
            if (v.outcome() != Outcome.TIE && !observed.content().sameText(v.pair().first(), v.pair().second())) {
                out.collect(WindowVote.of(event.getComparisonId(), v));
            }
        }
    }
}
