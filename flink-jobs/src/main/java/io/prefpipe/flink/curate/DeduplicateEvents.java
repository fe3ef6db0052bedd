package io.prefpipe.flink.curate;

import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.schema.FeedbackEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by event id: passes the first event with an id and filters later ones as {@link FilterReason#DUPLICATE}.
 * Redeliveries (producer retries, replays) carry the same id. The "seen" mark expires after the TTL so state does not
 * grow without bound; a redelivery later than that is not recognised here.
 */
final class DeduplicateEvents extends KeyedProcessFunction<String, FeedbackEvent, FeedbackEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final Duration ttl;

    private transient ValueState<Boolean> seen;
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
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        seen = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(FeedbackEvent event, Context ctx, Collector<FeedbackEvent> out) throws Exception {
        if (seen.value() != null) {
            fates.filtered(FilterReason.DUPLICATE);
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
