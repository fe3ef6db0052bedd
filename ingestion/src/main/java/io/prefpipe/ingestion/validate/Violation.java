package io.prefpipe.ingestion.validate;

import java.util.Objects;

/**
 * Why an input was rejected.
 *
 * @param reason the reason
 * @param field the offending field as a path such as {@code judgement.preferred}, or {@code null} for the whole input
 * @param message a sentence for a person, naming the field and the bad value
 */
public record Violation(RejectReason reason, String field, String message) {
    public Violation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return reason.code() + (field == null ? "" : " at " + field) + ": " + message;
    }
}
