package io.prefpipe.labeling.curate;

import java.util.List;
import java.util.Objects;

/**
 * A decided preference ready for training.
 *
 * @param pairId deterministic id of (comparison, chosen, rejected)
 * @param comparison the comparison it was decided in
 * @param chosen the response judged better
 * @param rejected the response judged worse
 * @param pChosen the aggregator's probability that {@code chosen} is preferred
 * @param voteCount votes on this pair, ties included
 * @param agreement fraction of votes agreeing with the decision
 * @param aggregator name of the aggregator that decided it
 * @param sourceEventIds the events that voted on it
 */
public record CuratedPair(
        String pairId,
        Comparison comparison,
        ResponseText chosen,
        ResponseText rejected,
        double pChosen,
        int voteCount,
        double agreement,
        String aggregator,
        List<String> sourceEventIds) {
    public CuratedPair {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(aggregator, "aggregator");
        sourceEventIds = List.copyOf(sourceEventIds);
    }
}
