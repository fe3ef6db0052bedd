package io.prefpipe.ingestion.kafka;

import io.prefpipe.ingestion.IngestionException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * A record could not be delivered to Kafka. {@link #retriable()} tells whether the cause was transient (a timeout,
 * an unavailable leader) so that running the whole ingestion again may succeed, or fatal (authorization, a record the
 * broker refuses), so that it will fail again.
 */
public final class SendFailedException extends IngestionException {
    private static final long serialVersionUID = 1L;

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the cause is one Kafka classifies as retriable. */
    public boolean retriable() {
        return getCause() instanceof RetriableException;
    }
}
