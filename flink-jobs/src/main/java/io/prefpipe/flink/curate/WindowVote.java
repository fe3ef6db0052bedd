package io.prefpipe.flink.curate;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import io.prefpipe.labeling.pairwise.ShownFirst;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One pairwise vote on its way to the window the annotator model is fitted on: a {@link PairwiseVote} with its
 * comparison id, flattened. Flink serializes it with {@link WindowVoteSerializer}, never with Kryo.
 *
 * @param comparisonId the comparison the vote was cast in
 * @param eventId the feedback event it came from
 * @param annotatorId who voted
 * @param first the pair's first (canonical) response id
 * @param second the pair's second response id
 * @param outcome {@link Outcome#FIRST} or {@link Outcome#SECOND}; ties never enter the window
 * @param shownFirst which of the two the annotator saw first
 */
@TypeInfo(WindowVoteSerializer.Factory.class)
public record WindowVote(String comparisonId, String eventId, String annotatorId, String first, String second,
        Outcome outcome, ShownFirst shownFirst) {
    public WindowVote {
        Objects.requireNonNull(comparisonId, "comparisonId");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.TIE) {
            throw new IllegalArgumentException("a tie says nothing about which response is better; event " + eventId);
        }
    }

    /** The vote of {@code vote}, cast in comparison {@code comparisonId}. */
    static WindowVote of(String comparisonId, PairwiseVote vote) {
        return new WindowVote(comparisonId, vote.eventId(), vote.annotatorId(), vote.pair().first(),
                vote.pair().second(), vote.outcome(), vote.shownFirst());
    }

    PairwiseVote toPairwiseVote() {
        return new PairwiseVote(eventId, annotatorId, new ResponsePair(first, second), outcome, shownFirst);
    }
}
