package io.prefpipe.ingestion.validate;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits every event must respect.
 *
 * @param maxResponses most responses in one event
 * @param maxPromptChars longest prompt, in UTF-16 chars
 * @param maxResponseChars longest response text
 * @param maxIdChars longest id (event, comparison, response, annotator)
 * @param maxFutureSkew how far an event time may lie ahead of the validator's clock
 */
public record ValidationLimits(
        int maxResponses, int maxPromptChars, int maxResponseChars, int maxIdChars, Duration maxFutureSkew)
        implements Serializable {

    /** Defaults that admit real chat data (HH-RLHF prompts run to a few KB) and refuse abuse. */
    public static final ValidationLimits DEFAULTS = new ValidationLimits(16, 65_536, 65_536, 256, Duration.ofDays(1));

    public ValidationLimits {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxResponses < 2) {
            throw new IllegalArgumentException("maxResponses must be >= 2, got " + maxResponses);
        }
        if (maxPromptChars < 1 || maxResponseChars < 1 || maxIdChars < 1) {
            throw new IllegalArgumentException("size limits must be >= 1, got maxPromptChars=" + maxPromptChars
                    + " maxResponseChars=" + maxResponseChars + " maxIdChars=" + maxIdChars);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative, got " + maxFutureSkew);
        }
    }
}
