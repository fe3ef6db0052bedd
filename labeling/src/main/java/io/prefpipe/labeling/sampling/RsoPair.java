package io.prefpipe.labeling.sampling;

import java.util.Objects;

/**
 * A preference pair formed from accepted samples: the candidate with the higher reward is chosen.
 *
 * @param chosen the candidate with the higher (or, on a tie, equal) reward
 * @param rejected the other candidate
 * @param round the tournament round that formed the pair; always 1 for {@link Pairing#FIRST_ROUND}
 */
public record RsoPair(ScoredCandidate chosen, ScoredCandidate rejected, int round) {
    /** @throws IllegalArgumentException if the rejected reward exceeds the chosen one, or {@code round < 1} */
    public RsoPair {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (rejected.reward() > chosen.reward()) {
            throw new IllegalArgumentException("chosen reward " + chosen.reward() + " must be >= rejected reward "
                    + rejected.reward());
        }
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, was " + round);
        }
    }

    public double chosenReward() {
        return chosen.reward();
    }

    public double rejectedReward() {
        return rejected.reward();
    }

    /** True when both rewards are equal, so the pair carries no preference. */
    public boolean tied() {
        return chosen.reward() == rejected.reward();
    }
}
