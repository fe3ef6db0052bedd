package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseDecomposition;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.schema.FeedbackEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on the pairwise votes of each valid, deduplicated event, which the annotator model learns from. Ties are left
 * out (they say nothing about which response is better), and so are votes between responses with the same text (a
 * coin flip for everyone, which would make every annotator look like a spammer). Runs in parallel ahead of the single
 * estimator, so only these small votes cross the network to it, not whole events. The votes themselves are read from
 * the event when it is decoded ({@link #of}).
 */
final class WindowVotes implements FlatMapFunction<ValidEvent, WindowVote> {
    private static final long serialVersionUID = 1L;
    private static final WindowVote[] NONE = new WindowVote[0];

    /** The votes {@code event} casts for the annotator model. */
    static WindowVote[] of(FeedbackEvent event) {
        ComparisonCurator.Observed observed = FeedbackMapping.toObserved(event);
        List<WindowVote> votes = new ArrayList<>(1);
        for (PairwiseVote v : PairwiseDecomposition.votes(observed.judgement())) {
            if (v.outcome() != Outcome.TIE && !observed.content().sameText(v.pair().first(), v.pair().second())) {
                votes.add(WindowVote.of(event.getComparisonId(), v));
            }
        }
        return votes.isEmpty() ? NONE : votes.toArray(NONE);
    }

    @Override
    public void flatMap(ValidEvent event, Collector<WindowVote> out) {
        for (WindowVote v : event.votes()) {
            out.collect(v);
        }
    }
}
