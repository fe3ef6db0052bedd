package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.labeling.curate.CurationResult;
import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by comparison id: buffers a comparison's events until it is complete, then curates them with
 * {@link ComparisonCurator} and emits the decided pairs.
 *
 * <p>A comparison is complete when {@code emitAfterVotes} events have arrived, or when the watermark passes its first
 * event time plus the window, whichever comes first (at the end of a bounded input the watermark passes every
 * window). Once emitted, the comparison is closed: a marker, kept for {@code closedTtl}, makes later events for it
 * {@link FilterReason#LATE} rather than the seed of a second, partial curation.
 */
final class CurateComparisons extends KeyedProcessFunction<String, FeedbackEvent, PreferencePair> {
    private static final long serialVersionUID = 1L;

    private final String aggregatorName;
    private final int emitAfterVotes;
    private final Duration window;
    private final Duration closedTtl;

    private transient ListState<FeedbackEvent> buffered;
    private transient ValueState<Long> deadline;
    private transient ValueState<Boolean> closed;
    private transient ComparisonCurator curator;
    private transient FateCounters fates;

    CurateComparisons(String aggregatorName, int emitAfterVotes, Duration window, Duration closedTtl) {
        this.aggregatorName = aggregatorName;
        this.emitAfterVotes = emitAfterVotes;
        this.window = window;
        this.closedTtl = closedTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        buffered = getRuntimeContext().getListState(
                new ListStateDescriptor<>("events", new AvroTypeInfo<>(FeedbackEvent.class)));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
        ValueStateDescriptor<Boolean> closedDescriptor = new ValueStateDescriptor<>("closed", Types.BOOLEAN);
        closedDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(closedTtl).build());
        closed = getRuntimeContext().getState(closedDescriptor);
        curator = new ComparisonCurator(Aggregators.create(aggregatorName));
        fates = new FateCounters(getRuntimeContext());
    }

    @Override
    public void processElement(FeedbackEvent event, Context ctx, Collector<PreferencePair> out) throws Exception {
        if (closed.value() != null) {
            fates.filtered(FilterReason.LATE);
            return;
        }
        List<FeedbackEvent> events = new ArrayList<>();
        for (FeedbackEvent e : buffered.get()) {
            // Upstream dedupe forgets ids after its TTL; a comparison open longer than that must not count an event
            // twice, or the curator (which keys by event id) would lose one from the accounting.
            if (e.getEventId().equals(event.getEventId())) {
                fates.filtered(FilterReason.DUPLICATE);
                return;
            }
            events.add(e);
        }
        events.add(event);
        buffered.add(event);
        if (deadline.value() == null) {
            long due = ctx.timestamp() + window.toMillis();
            deadline.update(due);
            ctx.timerService().registerEventTimeTimer(due);
        }
        if (events.size() >= emitAfterVotes) {
            ctx.timerService().deleteEventTimeTimer(deadline.value());
            emit(events, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PreferencePair> out) throws Exception {
        List<FeedbackEvent> events = new ArrayList<>();
        buffered.get().forEach(events::add);
        emit(events, out);
    }

    private void emit(List<FeedbackEvent> events, Collector<PreferencePair> out) throws Exception {
        List<ComparisonCurator.Observed> observed = new ArrayList<>(events.size());
        Map<String, Instant> eventTimes = new HashMap<>();
        for (FeedbackEvent e : events) {
            observed.add(FeedbackMapping.toObserved(e));
            eventTimes.put(e.getEventId(), e.getEventTime());
        }
        CurationResult result = curator.curate(observed);
        Set<String> curated = new HashSet<>(result.curatedEventIds());
        for (FeedbackEvent e : events) {
            FilterReason reason = result.filtered().get(e.getEventId());
            if (reason != null) {
                fates.filtered(reason);
            } else if (!curated.contains(e.getEventId())) {
                throw new IllegalStateException("curator gave no fate for event " + e.getEventId()
                        + " of comparison " + e.getComparisonId());
            }
        }
        fates.curated(curated.size());
        fates.pairs(result.pairs().size());
        for (CuratedPair pair : result.pairs()) {
            out.collect(PreferencePairs.toAvro(pair, eventTimes));
        }
        buffered.clear();
        deadline.clear();
        closed.update(Boolean.TRUE);
    }
}
