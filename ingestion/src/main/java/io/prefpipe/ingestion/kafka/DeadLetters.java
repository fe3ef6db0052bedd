package io.prefpipe.ingestion.kafka;

import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Builds {@link DeadLetter}s that always fit one Kafka message of the default size limit (1 MiB). An input that was
 * itself a message near that limit would otherwise make a dead letter over it, and a producer that cannot send a dead
 * letter fails: a job would stop on the very input it exists to set aside. So the payload keeps at most its first
 * {@link #MAX_PAYLOAD_BYTES} bytes, and the field and message, which may quote hostile input, are shortened too; the
 * message says when the payload was cut. The whole input stays where the dead letter's source says it is.
 */
public final class DeadLetters {
    /** The stage recorded for inputs rejected while ingesting, before they reach a topic. */
    public static final String STAGE_INGEST = "ingest";
    /** Most bytes of the input a dead letter keeps. */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024;
    /** Longest field path kept; a path can hold a map key of any length. */
    public static final int MAX_FIELD_CHARS = 512;
    /** Longest message kept; messages quote offending values. */
    public static final int MAX_MESSAGE_CHARS = 4096;

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
        return builder(payload, violation, STAGE_INGEST, time)
                .setSourceFile(sourceFile)
                .setSourceLine(sourceLine)
                .build();
    }

    /**
     * A dead letter for a Kafka message rejected by a stage that read it.
     *
     * @param payload the message value exactly as read
     * @param violation why it was rejected
     * @param stage the stage that rejected it, e.g. {@code curate}
     * @param topic the source topic
     * @param partition the source partition
     * @param offset the message's offset in that partition
     * @param time when it was rejected
     */
    public static DeadLetter ofMessage(byte[] payload, Violation violation, String stage, String topic, int partition,
            long offset, Instant time) {
        return builder(payload, violation, stage, time)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .build();
    }

    private static DeadLetter.Builder builder(byte[] payload, Violation violation, String stage, Instant time) {
        String message = shorten(violation.message(), MAX_MESSAGE_CHARS);
        byte[] kept = payload;
        if (payload.length > MAX_PAYLOAD_BYTES) {
            kept = Arrays.copyOf(payload, MAX_PAYLOAD_BYTES);
            message += " (payload cut to its first " + MAX_PAYLOAD_BYTES + " of " + payload.length + " bytes)";
        }
        return DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(kept))
                .setReason(violation.reason().code())
                .setField(violation.field() == null ? null : shorten(violation.field(), MAX_FIELD_CHARS))
                .setMessage(message)
                .setStage(stage)
                .setDeadLetterTime(time.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code s}, or its first {@code max} chars and an ellipsis, never splitting a surrogate pair. */
    static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "\u2026";
    }
}
