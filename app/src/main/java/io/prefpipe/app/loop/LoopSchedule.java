package io.prefpipe.app.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * When the next iteration starts: once {@code everyPairs} new pairs are curated, or {@code every} has passed since the
 * previous iteration began, or (with {@code candidateShare} &gt; 0) the pairs curated since amount to that share of the
 * comparisons the previous iteration published for annotation, whichever comes first, and never without at least
 * {@code minPairs} new pairs.
 *
 * <p>The candidate trigger serves online alignment: an iteration that published N comparisons is followed as soon as
 * their judgements are (mostly) back and curated, rather than after a fixed count or time. Curation may filter a few
 * (ties, ambiguous posteriors), hence a share below 1; what arrives after the next cut goes into the one after.
 *
 * @param everyPairs new curated pairs that start an iteration, at least 1
 * @param every time after which an iteration starts with whatever is new
 * @param minPairs fewest new pairs an iteration trains on, at least 1
 * @param candidateShare in [0, 1]: start once the new pairs reach this share of the previous iteration's published
 *     candidates; 0 for no such trigger
 * @param pollInterval how often to look
 */
public record LoopSchedule(long everyPairs, Duration every, long minPairs, double candidateShare,
        Duration pollInterval) {
    public LoopSchedule {
        if (everyPairs < 1) {
            throw new IllegalArgumentException("everyPairs must be >= 1, got " + everyPairs);
        }
        if (minPairs < 1) {
            throw new IllegalArgumentException("minPairs must be >= 1, got " + minPairs);
        }
        if (!(candidateShare >= 0 && candidateShare <= 1)) {
            throw new IllegalArgumentException("candidateShare must be in [0, 1], got " + candidateShare);
        }
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive, got " + every);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
    }

    /** A schedule without the candidate trigger. */
    public LoopSchedule(long everyPairs, Duration every, long minPairs, Duration pollInterval) {
        this(everyPairs, every, minPairs, 0, pollInterval);
    }

    /**
     * Whether an iteration is due with {@code pending} new pairs, {@code sinceLast} after the previous one began,
     * which published {@code previousCandidates} comparisons for annotation.
     */
    public boolean due(long pending, Duration sinceLast, long previousCandidates) {
        if (pending < minPairs) {
            return false;
        }
        boolean candidatesBack = candidateShare > 0 && previousCandidates > 0
                && pending >= Math.ceil(candidateShare * previousCandidates);
        return pending >= everyPairs || sinceLast.compareTo(every) >= 0 || candidatesBack;
    }
}
