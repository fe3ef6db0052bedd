package io.prefpipe.labeling.sampling;

import java.util.Objects;

/**
 * One sampled response to a prompt, with the score a reward model gave it.
 *
 * <p>Candidates are distinct by position, not by id or text: two candidates with the same text are two samples
 * from the policy, and both take part in sampling. (The paper's reference code keys a dictionary by text, which
 * silently merges duplicates and keeps the last reward; we do not.)
 *
 * @param id identifies the candidate within its prompt; not checked for uniqueness here
 * @param text the response text
 * @param reward the reward-model score; must be finite
 */
public record ScoredCandidate(String id, String text, double reward) {
    /** @throws IllegalArgumentException if {@code reward} is NaN or infinite */
    public ScoredCandidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward must be finite, was " + reward + " (candidate '" + id + "')");
        }
    }
}
