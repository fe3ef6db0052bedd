package io.prefpipe.flink.curate;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks emitted on every event that advances the maximum event time, instead of on
 * Flink's periodic timer.
 *
 * <p>Why not {@code WatermarkStrategy.forBoundedOutOfOrderness}: a periodic watermark depends on how fast records are
 * processed, so which comparisons close by window and which events come too late would change from one replay of the
 * same input to the next. Emitting on events makes the outcome a function of the input order alone, so a bounded
 * replay of a partition reproduces its snapshot.
 */
final class EventTimeWatermarks implements WatermarkGenerator<ValidEvent> {
    private final long maxOutOfOrdernessMillis;
    private long maxTimestamp = Long.MIN_VALUE;

    EventTimeWatermarks(Duration maxOutOfOrderness) {
        this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
    }

    /** Event time from {@code event_time}, these watermarks, and idleness after {@code idleness} without events. */
    static WatermarkStrategy<ValidEvent> strategy(Duration maxOutOfOrderness, Duration idleness) {
        return WatermarkStrategy.<ValidEvent>forGenerator(ctx -> new EventTimeWatermarks(maxOutOfOrderness))
                .withTimestampAssigner((event, previous) -> event.eventTimeMillis())
                .withIdleness(idleness);
    }

    @Override
    public void onEvent(ValidEvent event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            // minus one: an event exactly maxOutOfOrderness behind the maximum is still on time
            output.emitWatermark(new Watermark(maxTimestamp - maxOutOfOrdernessMillis - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // every watermark is emitted in onEvent
    }
}
