package io.prefpipe.ingestion.format;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a line came from, and what to assume for what the line cannot say.
 *
 * @param sourceName the input's file name (no directories), recorded in events' metadata and dead letters
 * @param lineNumber 1-based line number within the input
 * @param defaultEventTime the event time of formats that carry none (hh-rlhf, trl)
 */
public record LineContext(String sourceName, long lineNumber, Instant defaultEventTime) {
    public LineContext {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(defaultEventTime, "defaultEventTime");
        if (lineNumber < 1) {
            throw new IllegalArgumentException("lineNumber must be >= 1, got " + lineNumber);
        }
    }
}
