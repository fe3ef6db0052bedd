package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.validate.FeedbackMapping;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.labeling.curate.CurationResult;
import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by comparison id: buffers a comparison's events until it is complete, then curates them with
 * {@link ComparisonCurator} and emits the decided pairs. The other input is the broadcast stream of annotator models
 * from {@link EstimateAnnotators}; the latest one is kept in broadcast state and decides every comparison that
 * completes after it arrived ({@code mv} decides by majority vote and needs none).
 *
 * <p>A comparison that completes before the first model has arrived waits for it, closed to further events, rather
 * than be decided by majority vote: otherwise which of a backlog's comparisons a model decides would depend on how fast
 * the estimator's first fit travels. The estimator fits at the latest its refit interval after its first vote, and at
 * the end of a bounded input. A waiting comparison looks for the model every {@link #MODEL_POLL} of processing time;
 * after {@code maxModelWait} without one (the estimator has had no vote to fit: all ties so far) majority vote decides
 * it, and at the end of a bounded input it is decided with the others, by the final model.
 *
 * <p>A comparison is complete when {@code emitAfterVotes} events have arrived, or when the watermark passes its first
 * event time plus the window, whichever comes first (at the end of a bounded input the watermark passes every
 * window). Once emitted, the comparison is closed: a marker, kept for {@code closedTtl}, makes later events for it
 * {@link FilterReason#LATE} rather than the seed of a second, partial curation. Pairs decided less surely than
 * {@code ambiguityThreshold} are filtered as {@link FilterReason#AMBIGUOUS}.
 *
 * <p>The watermark is the event path's (see {@link ModelStreamWatermarks}). When a bounded event path has ended it
 * stops at {@link ModelStreamWatermarks#HOLD}, and the comparisons still open wait for the end of the model stream, so
 * that the final model, fitted on all the votes, decides them.
 */
final class CurateComparisons
        extends KeyedBroadcastProcessFunction<String, ValidEvent, AnnotatorModelUpdate, PreferencePair>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CurateComparisons.class);

    /** The broadcast state: the latest model under {@link #LATEST}. */
    static final MapStateDescriptor<String, AnnotatorModelUpdate> MODEL = new MapStateDescriptor<>("annotator-model",
            Types.STRING, TypeInformation.of(AnnotatorModelUpdate.class));
    private static final String LATEST = "latest";
    /** How often a comparison waiting for the first model looks for it. */
    static final Duration MODEL_POLL = Duration.ofMillis(500);
    private static final Comparator<ValidEvent> IN_EVENT_TIME_ORDER =
            Comparator.comparingLong(ValidEvent::eventTimeMillis).thenComparing(ValidEvent::eventId);

    private final String aggregatorName;
    private final int emitAfterVotes;
    private final Duration window;
    private final Duration closedTtl;
    private final double ambiguityThreshold;
    private final Duration maxModelWait;

    /** The comparison's events so far, still encoded: decoded only when the comparison is decided. */
    private transient ListState<ValidEvent> buffered;
    private transient ValueState<Long> deadline;
    private transient ValueState<Boolean> closed;
    /** While the comparison is complete and waits for the first model: since when, in processing time. */
    private transient ValueState<Long> awaitingSince;
    private transient FateCounters fates;
    private transient AvroCodec<FeedbackEvent> codec;
    private transient boolean decidesWithModel;
    /** Built from the broadcast state when its model version changes; never checkpointed. */
    private transient Decider decider;

    /**
     * What decides pairs now.
     *
     * @param version the model version it was built for; 0 for majority vote without a model
     * @param curator the curator around the model's aggregator
     * @param model the model and its provenance, or {@code null} when majority vote decides
     */
    private record Decider(long version, ComparisonCurator curator, DecidingModel model) {}

    CurateComparisons(String aggregatorName, int emitAfterVotes, Duration window, Duration closedTtl,
            double ambiguityThreshold, Duration maxModelWait) {
        this.aggregatorName = aggregatorName;
        this.emitAfterVotes = emitAfterVotes;
        this.window = window;
        this.closedTtl = closedTtl;
        this.ambiguityThreshold = ambiguityThreshold;
        this.maxModelWait = maxModelWait;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        fates = FateCounters.restore(getRuntimeContext(), context, "curate");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        fates.snapshot(context.getCheckpointId());
    }

    @Override
    public void open(OpenContext openContext) {
        buffered = getRuntimeContext().getListState(
                new ListStateDescriptor<>("events", TypeInformation.of(ValidEvent.class)));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
        ValueStateDescriptor<Boolean> closedDescriptor = new ValueStateDescriptor<>("closed", Types.BOOLEAN);
        closedDescriptor.enableTimeToLive(ExpiringMarks.ttl(closedTtl));
        closed = getRuntimeContext().getState(closedDescriptor);
        awaitingSince = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-model", Types.LONG));
        decidesWithModel = Aggregators.decidesWithModel(aggregatorName);
        codec = new AvroCodec<>(FeedbackEvent.class);
    }

    @Override
    public void processBroadcastElement(AnnotatorModelUpdate update, Context ctx, Collector<PreferencePair> out)
            throws Exception {
        BroadcastState<String, AnnotatorModelUpdate> state = ctx.getBroadcastState(MODEL);
        AnnotatorModelUpdate current = state.get(LATEST);
        if (current == null || update.version() > current.version()) {
            state.put(LATEST, update);
        }
    }

    @Override
    public void processElement(ValidEvent event, ReadOnlyContext ctx, Collector<PreferencePair> out)
            throws Exception {
        if (closed.value() != null) {
            fates.filtered(FilterReason.LATE);
            return;
        }
        List<ValidEvent> events = new ArrayList<>();
        for (ValidEvent e : buffered.get()) {
            // Upstream dedupe forgets ids after its TTL; a comparison open longer than that must not count an event
            // twice, or the curator (which keys by event id) would lose one from the accounting.
            if (e.eventId().equals(event.eventId())) {
                fates.filtered(FilterReason.DUPLICATE);
                return;
            }
            events.add(e);
        }
        events.add(event);
        buffered.add(event);
        fates.opened();
        if (deadline.value() == null) {
            long due = ctx.timestamp() + window.toMillis();
            deadline.update(due);
            ctx.timerService().registerEventTimeTimer(due);
        }
        if (events.size() >= emitAfterVotes) {
            ctx.timerService().deleteEventTimeTimer(deadline.value());
            decideOrAwaitModel(events, ctx.getBroadcastState(MODEL).get(LATEST), ctx.timerService(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PreferencePair> out) throws Exception {
        AnnotatorModelUpdate latest = ctx.getBroadcastState(MODEL).get(LATEST);
        Long since = awaitingSince.value();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            // only the model poll is a processing-time timer; one left over after the end of input decided the
            // comparison has nothing to do
            if (since == null) {
                return;
            }
            if (latest == null && timestamp - since < maxModelWait.toMillis()) {
                ctx.timerService().registerProcessingTimeTimer(timestamp + MODEL_POLL.toMillis());
                return;
            }
        }
        if (since != null) {
            // The model is in. Or no model came in time, or before a bounded input ended: the estimator has had no
            // vote to fit (every vote so far a tie), and majority vote decides.
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
            awaitingSince.clear();
            emit(bufferedEvents(), latest, out);
            return;
        }
        if (ctx.timerService().currentWatermark() == ModelStreamWatermarks.HOLD) {
            // Every event is in, but the final model is still on its way; it arrives before the last watermark.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        decideOrAwaitModel(bufferedEvents(), latest, ctx.timerService(), out);
    }

    private List<ValidEvent> bufferedEvents() throws Exception {
        List<ValidEvent> events = new ArrayList<>();
        buffered.get().forEach(events::add);
        return events;
    }

    /**
     * Decides a complete comparison, or, when a model must decide it and none has arrived yet, closes it and lets it
     * wait: a processing-time timer looks for the model, and an event-time timer at the end of time decides it when a
     * bounded input ends (its final model arrives ahead of that watermark; processing-time timers do not fire then).
     */
    private void decideOrAwaitModel(List<ValidEvent> events, AnnotatorModelUpdate latest, TimerService timers,
            Collector<PreferencePair> out) throws Exception {
        if (decidesWithModel && latest == null) {
            closed.update(Boolean.TRUE);
            deadline.clear();
            long now = timers.currentProcessingTime();
            awaitingSince.update(now);
            timers.registerProcessingTimeTimer(now + MODEL_POLL.toMillis());
            timers.registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        emit(events, latest, out);
    }

    private void emit(List<ValidEvent> waiting, AnnotatorModelUpdate latest, Collector<PreferencePair> out)
            throws Exception {
        // The curator's result depends on the order of the events (the first one's content is the comparison's, a
        // posterior is a product taken in order, source ids are listed in order), and the order they arrived in
        // differs with parallelism: a comparison's events reach this task from several dedupe subtasks. Event time,
        // then event id, is the same at any parallelism.
        waiting.sort(IN_EVENT_TIME_ORDER);
        Decider d = decider(latest);
        List<FeedbackEvent> events = new ArrayList<>(waiting.size());
        List<ComparisonCurator.Observed> observed = new ArrayList<>(waiting.size());
        Map<String, FeedbackEvent> byId = new HashMap<>();
        for (ValidEvent v : waiting) {
            // these bytes were encoded by EncodeValidEvents from a valid event; they cannot fail to decode
            FeedbackEvent e = codec.decode(v.avro());
            events.add(e);
            observed.add(FeedbackMapping.toObserved(e));
            byId.put(e.getEventId(), e);
        }
        CurationResult result = d.curator().curate(observed);
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
        fates.decided(events.size());
        fates.curated(curated.size());
        fates.pairs(result.pairs().size());
        for (CuratedPair pair : result.pairs()) {
            out.collect(PreferencePairs.toAvro(pair, byId, d.model()));
        }
        buffered.clear();
        deadline.clear();
        closed.update(Boolean.TRUE);
    }

    /** The decider for the latest model, rebuilt only when its version changes. */
    private Decider decider(AnnotatorModelUpdate latest) {
        long version = decidesWithModel && latest != null ? latest.version() : 0;
        if (decider != null && decider.version() == version) {
            return decider;
        }
        DecidingModel model = null;
        if (version > 0) {
            try {
                model = new DecidingModel(version, latest.fittedAt(), latest.windowVotes(),
                        latest.deserialize(getRuntimeContext().getUserCodeClassLoader()));
            } catch (IOException e) {
                // Only a model restored from a checkpoint of an incompatible version can fail here; majority vote
                // decides until the estimator's next fit replaces it.
                LOG.warn("cannot read annotator model version {}; deciding by majority vote until the next one",
                        version, e);
            }
        }
        decider = new Decider(version, new ComparisonCurator(
                Aggregators.decider(aggregatorName, model == null ? null : model.model()), ambiguityThreshold), model);
        return decider;
    }
}
