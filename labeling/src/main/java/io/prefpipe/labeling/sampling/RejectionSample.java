package io.prefpipe.labeling.sampling;

import java.util.List;
import java.util.Objects;

/**
 * What {@link RejectionSampler#sample} accepted for one prompt.
 *
 * @param accepted the accepted candidates in the order they were accepted (by round, then by input order)
 * @param requested the {@code n} that was asked for
 * @param candidateCount how many candidates there were
 * @param rounds how many rounds ran (0 when there were no candidates)
 * @param draws how many uniform numbers were drawn, one per candidate visited
 */
public record RejectionSample(List<Accepted> accepted, int requested, int candidateCount, int rounds, long draws) {
    public RejectionSample {
        accepted = List.copyOf(accepted);
    }

    /**
     * An accepted candidate and the round that accepted it.
     *
     * @param candidate the candidate
     * @param round the 1-based round in which it was accepted
     */
    public record Accepted(ScoredCandidate candidate, int round) {
        public Accepted {
            Objects.requireNonNull(candidate, "candidate");
            if (round < 1) {
                throw new IllegalArgumentException("round must be >= 1, was " + round);
            }
        }
    }

    /** The accepted candidates, in acceptance order. */
    public List<ScoredCandidate> candidates() {
        return accepted.stream().map(Accepted::candidate).toList();
    }

    /** True when the pool ran out before {@code requested} were accepted, i.e. there were fewer than n candidates. */
    public boolean exhausted() {
        return accepted.size() < requested;
    }
}
