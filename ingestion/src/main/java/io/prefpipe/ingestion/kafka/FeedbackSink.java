package io.prefpipe.ingestion.kafka;

import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;

/**
 * Where ingestion sends what it read: valid events and dead letters. {@link FeedbackProducer} is the Kafka
 * implementation; the interface lets a dry run or a test collect the output without a broker.
 *
 * <p>Sends may be asynchronous. A failure of an earlier send is thrown by a later {@code send}, {@code flush} or
 * {@code close}; after {@code flush} returns, everything sent before it has been delivered.
 */
public interface FeedbackSink extends AutoCloseable {

    /** Sends a valid event. */
    void send(FeedbackEvent event);

    /** Sends a dead letter. */
    void sendDeadLetter(DeadLetter deadLetter);

    /** Blocks until everything sent so far is delivered, and throws if anything failed. */
    void flush();

    /** Releases resources; idempotent. */
    @Override
    void close();
}
