package io.prefpipe.labeling.aggregate;

import io.prefpipe.labeling.pairwise.Outcome;
import io.prefpipe.labeling.pairwise.ResponsePair;
import java.util.Objects;

/**
 * The aggregated label of one pair.
 *
 * @param pair the pair
 * @param decided {@link Outcome#FIRST} or {@link Outcome#SECOND}, or {@link Outcome#TIE} when the evidence does not
 *     decide (never broken arbitrarily)
 * @param pFirst the aggregator's probability that the first response is preferred
 * @param voteCount votes on the pair, tie votes included
 * @param agreement fraction of the votes that agree with {@code decided}; 0 when undecided
 */
public record PairLabel(ResponsePair pair, Outcome decided, double pFirst, int voteCount, double agreement) {
    public PairLabel {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(decided, "decided");
        if (!(pFirst >= 0 && pFirst <= 1)) {
            throw new IllegalArgumentException("pFirst must be in [0, 1], got " + pFirst);
        }
        if (voteCount < 0) {
            throw new IllegalArgumentException("voteCount must be >= 0, got " + voteCount);
        }
    }

    /** The probability that the decided winner is preferred. */
    public double pDecided() {
        return decided == Outcome.SECOND ? 1 - pFirst : pFirst;
    }
}
