package io.prefpipe.app.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * When the next iteration starts: once {@code everyPairs} new pairs are curated, or {@code every} has passed since the
 * previous iteration began, whichever comes first, and never without at least {@code minPairs} new pairs.
 *
 * @param everyPairs new curated pairs that start an iteration, at least 1
 * @param every time after which an iteration starts with whatever is new
 * @param minPairs fewest new pairs an iteration trains on, at least 1
 * @param pollInterval how often to look
 */
public record LoopSchedule(long everyPairs, Duration every, long minPairs, Duration pollInterval) {
    public LoopSchedule {
        if (everyPairs < 1 || minPairs < 1) {
            throw new IllegalArgumentException("everyPairs and minPairs must be >= 1, got " + everyPairs + " and "
                    + minPairs);
        }
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (every.isNegative() || every.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("every and pollInterval must be positive");
        }
    }

    /** Whether an iteration is due with {@code pending} new pairs, {@code sinceLast} after the previous one began. */
    public boolean due(long pending, Duration sinceLast) {
        return pending >= everyPairs || (pending >= minPairs && sinceLast.compareTo(every) >= 0);
    }
}
