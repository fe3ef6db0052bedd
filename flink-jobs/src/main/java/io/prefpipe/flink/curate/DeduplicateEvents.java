package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.DeadLetters;
import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.schema.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id: passes the first event with an id, filters later ones with the same content as
 * {@link FilterReason#DUPLICATE}, and dead-letters later ones with other content as
 * {@link RejectReason#CONFLICTING_DUPLICATE} (field {@code event_id}). Redeliveries (producer retries, replays) carry
 * the same id and content; another judgement under a used id is a producer's bug, and silently keeping either would
 * hide it. The first event wins because it may already be curated. Content is compared by {@link ContentFingerprint}.
 * The mark expires after the TTL so state does not grow without bound; a redelivery later than that is not recognised
 * here. The fingerprint was taken when the event was decoded ({@link ValidEvent#fingerprint()}).
 *
 * <p>A conflicting event's dead letter holds the message as received and its source position, from the event's
 * {@link ValidEvent#origin()}. Events go on without their origin: curation has no use for it, and would keep it in
 * state until their comparison is decided.
 */
final class DeduplicateEvents extends KeyedProcessFunction<String, ValidEvent, ValidEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final Duration ttl;

    private transient ValueState<Long> fingerprint;
    private transient FateCounters fates;

    DeduplicateEvents(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        fates = FateCounters.restore(getRuntimeContext(), context, "dedupe");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        fates.snapshot(context.getCheckpointId());
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("content-fingerprint", Types.LONG);
        descriptor.enableTimeToLive(ExpiringMarks.ttl(ttl));
        fingerprint = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(ValidEvent event, Context ctx, Collector<ValidEvent> out) throws Exception {
        long content = event.fingerprint();
        Long first = fingerprint.value();
        if (first == null) {
            fingerprint.update(content);
            out.collect(event.withoutOrigin());
        } else if (first == content) {
            fates.filtered(FilterReason.DUPLICATE);
        } else {
            fates.deadLettered(RejectReason.CONFLICTING_DUPLICATE.code());
            Violation v = new Violation(RejectReason.CONFLICTING_DUPLICATE, "event_id", "event_id '"
                    + event.eventId() + "' was seen before with other content; the first event was kept");
            ValidEvent.Origin origin = event.origin();
            DeadLetter d = DeadLetters.ofMessage(event.receivedMessage(), v, DecodeAndValidate.STAGE, origin.topic(),
                    origin.partition(), origin.offset(), Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()));
            ctx.output(DecodeAndValidate.DEAD_LETTERS, d);
        }
    }
}
