package io.prefpipe.app.serve;

import io.prefpipe.schema.FeedbackEvent;
import java.util.List;

/** Where the endpoint writes valid events. {@link KafkaFeedbackPublisher} is the one implementation in production. */
public interface FeedbackPublisher extends AutoCloseable {

    /**
     * Writes the events and returns only once every one is acknowledged. Thread-safe.
     *
     * @throws NotAcknowledgedException if any event was not acknowledged in time or its write failed; some of the
     *     events may have been written nonetheless
     */
    void publish(List<FeedbackEvent> events);

    /** Releases the resources; idempotent. */
    @Override
    void close();

    /** Events were not acknowledged: the caller must not report them written. */
    final class NotAcknowledgedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
