package io.prefpipe.flink.curate;

import io.prefpipe.schema.FeedbackEvent;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.MapFunction;

/** A probe that slows every event down, so a short stream lasts long enough to be interrupted mid-way. */
final class Throttle implements MapFunction<FeedbackEvent, FeedbackEvent> {
    private static final long serialVersionUID = 1L;

    private final long nanosPerEvent;

    Throttle(long nanosPerEvent) {
        this.nanosPerEvent = nanosPerEvent;
    }

    @Override
    public FeedbackEvent map(FeedbackEvent event) {
        LockSupport.parkNanos(nanosPerEvent);
        return event;
    }
}
