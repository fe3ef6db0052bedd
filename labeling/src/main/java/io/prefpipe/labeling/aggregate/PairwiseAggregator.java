package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.labeling.pairwise.ResponsePair;
import java.util.List;

/** Decides one pair from the votes of several annotators. Implementations are immutable and thread-safe. */
public interface PairwiseAggregator {

    /** A short stable name recorded with every pair it decides, e.g. {@code mv}. */
    String name();

    /**
     * Aggregates the votes on one pair.
     *
     * @param pair the pair
     * @param votes the votes on exactly that pair
     * @throws IllegalArgumentException if a vote is on another pair
     */
    PairLabel aggregate(ResponsePair pair, List<PairwiseVote> votes);
}
