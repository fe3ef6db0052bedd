package io.prefpipe.ingestion.kafka;

import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds {@link DeadLetter}s. */
public final class DeadLetters {
    /** The stage recorded for inputs rejected while ingesting, before they reach a topic. */
    public static final String STAGE_INGEST = "ingest";

    private DeadLetters() {}

    /**
     * A dead letter for a line of a file rejected at ingestion.
     *
     * @param payload the line's bytes exactly as read
     * @param violation why it was rejected
     * @param sourceFile the file's name
     * @param sourceLine the 1-based line number
     * @param time when it was rejected
     */
    public static DeadLetter ofLine(byte[] payload, Violation violation, String sourceFile, long sourceLine,
            Instant time) {
        return DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(payload))
                .setReason(violation.reason().code())
                .setField(violation.field())
                .setMessage(violation.message())
                .setStage(STAGE_INGEST)
                .setSourceFile(sourceFile)
                .setSourceLine(sourceLine)
                .setDeadLetterTime(time.truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
