package io.prefpipe.ingestion.file;

import io.prefpipe.ingestion.kafka.FeedbackSink;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.util.ArrayList;
import java.util.List;

/** Keeps what it is sent, for tests of ingestion without a broker. */
final class RecordingSink implements FeedbackSink {
    final List<FeedbackEvent> events = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    int flushes;
    boolean closed;

    @Override
    public void send(FeedbackEvent event) {
        events.add(event);
    }

    @Override
    public void sendDeadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }
}
