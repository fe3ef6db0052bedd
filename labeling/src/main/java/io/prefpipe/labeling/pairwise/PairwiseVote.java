package io.prefpipe.labeling.pairwise;

import java.util.Objects;

/**
 * One annotator's vote on one pair of responses.
 *
 * @param eventId the feedback event the vote came from
 * @param annotatorId who voted
 * @param pair the pair voted on
 * @param outcome which response won, or a tie
 * @param shownFirst which of the two the annotator saw first
 */
public record PairwiseVote(String eventId, String annotatorId, ResponsePair pair, Outcome outcome, ShownFirst shownFirst) {
    public PairwiseVote {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(annotatorId, "annotatorId");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(shownFirst, "shownFirst");
    }
}
