package io.prefpipe.labeling.sampling.jsonl;

import java.util.Objects;

/**
 * An input line that was not used, and why.
 *
 * @param lineNumber the 1-based line number in the input file
 * @param field where in the line the problem is: {@code $} for the whole line, else a path such as {@code prompt}
 *     or {@code candidates[2].reward}
 * @param reason the reason
 * @param detail a human-readable explanation
 */
public record Refusal(long lineNumber, String field, RefusalReason reason, String detail) {
    public Refusal {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** For example {@code line 7: candidates[2].reward: wrong_type (expected a number, got a string)}. */
    @Override
    public String toString() {
        return "line " + lineNumber + ": " + field + ": " + reason.code() + " (" + detail + ")";
    }
}
