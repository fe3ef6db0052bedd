package io.prefpipe.flink.curate;

import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.labeling.aggregate.PairwiseDatasets;
import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.CrowdAggregator;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.labeling.pairwise.PairwiseVote;
import io.prefpipe.schema.AnnotatorEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps the last {@code windowVotes} pairwise votes of the whole stream in state and refits the configured
 * truth-inference method on them every {@code refitEveryVotes} new votes, or {@code refitInterval} after the first vote
 * not yet fitted, whichever comes first. Each fit emits the model (for the curation tasks, which get it by broadcast),
 * one {@link AnnotatorEstimate} per annotator in the window on {@link #ESTIMATES}, and its label-noise estimate into
 * the {@link LabelNoise#ACCUMULATOR} accumulator.
 *
 * <p>One model covers all annotators, so every vote goes to one key, {@link #KEY}, and the operator runs with
 * parallelism 1.
 *
 * <p>When a bounded input ends, its final watermark ({@code Long.MAX_VALUE}) fires a last refit <em>before</em> the
 * watermark is forwarded, so the final model, fitted on all the votes, travels ahead of it; curation decides the
 * comparisons still open only once that watermark has arrived (see {@link ModelStreamWatermarks}).
 */
final class EstimateAnnotators extends KeyedProcessFunction<String, WindowVote, AnnotatorModelUpdate>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** The one key all votes are sent to. */
    static final String KEY = "all";
    /** The ledger property naming the aggregator. */
    static final String AGGREGATOR_PROPERTY = "aggregator";

    private static final Comparator<WindowVote> IN_CANONICAL_ORDER = Comparator.comparing(WindowVote::eventId)
            .thenComparing(WindowVote::first).thenComparing(WindowVote::second);

    static final OutputTag<AnnotatorEstimate> ESTIMATES =
            new OutputTag<>("annotator-estimates", new AvroTypeInfo<>(AnnotatorEstimate.class));

    private final String aggregatorName;
    private final int windowVotes;
    private final int refitEveryVotes;
    private final Duration refitInterval;

    /** The window, by arrival number; the oldest vote leaves when one more than {@code windowVotes} is in. */
    private transient MapState<Long, WindowVote> window;
    /** Votes received so far, which is also the next arrival number. */
    private transient ValueState<Long> received;
    /** {@code received} at the last fit. */
    private transient ValueState<Long> fittedThrough;
    private transient ValueState<Long> version;
    /** The pending processing-time refit, if any. */
    private transient ValueState<Long> refitTimer;
    private transient CrowdAggregator<?> estimator;
    private transient LatestLabelNoise labelNoise;
    /**
     * The latest estimate, in operator state so that a restored job reports it before its first refit (accumulators
     * start empty in every task attempt).
     */
    private transient ListState<LabelNoise> labelNoiseState;

    EstimateAnnotators(String aggregatorName, int windowVotes, int refitEveryVotes, Duration refitInterval) {
        this.aggregatorName = aggregatorName;
        this.windowVotes = windowVotes;
        this.refitEveryVotes = refitEveryVotes;
        this.refitInterval = refitInterval;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        labelNoiseState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("label-noise", TypeInformation.of(LabelNoise.class)));
        for (LabelNoise restored : labelNoiseState.get()) {
            addLabelNoise(restored);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        LabelNoise latest = labelNoise == null ? null : labelNoise.getLocalValue();
        labelNoiseState.update(latest == null ? List.of() : List.of(latest));
        Path ledger = ledgerDir();
        if (ledger != null) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put(AGGREGATOR_PROPERTY, aggregatorName);
            if (latest != null) {
                properties.putAll(latest.properties());
            }
            CheckpointLedger.write(ledger, new CheckpointLedger.Entry("estimate-annotators",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(), context.getCheckpointId(),
                    Map.of(), Map.of(), properties));
        }
    }

    /** Marks the checkpoint complete in the ledger: its entries, and the files it committed, now form a snapshot. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        Path ledger = ledgerDir();
        if (ledger != null) {
            CheckpointLedger.markComplete(ledger, checkpointId);
        }
    }

    private Path ledgerDir() {
        String dir = getRuntimeContext().getGlobalJobParameters().get(FateCounters.LEDGER_DIR);
        return dir == null ? null : new Path(dir);
    }

    @Override
    public void open(OpenContext openContext) {
        window = getRuntimeContext().getMapState(new MapStateDescriptor<>("window", Types.LONG,
                TypeInformation.of(WindowVote.class)));
        received = getRuntimeContext().getState(new ValueStateDescriptor<>("received", Types.LONG));
        fittedThrough = getRuntimeContext().getState(new ValueStateDescriptor<>("fitted-through", Types.LONG));
        version = getRuntimeContext().getState(new ValueStateDescriptor<>("version", Types.LONG));
        refitTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("refit-timer", Types.LONG));
        estimator = Aggregators.estimator(aggregatorName);
    }

    @Override
    public void processElement(WindowVote vote, Context ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        long n = valueOf(received);
        window.put(n, vote);
        if (n >= windowVotes) {
            window.remove(n - windowVotes);
        }
        received.update(n + 1);
        // Registering the same timer again is a no-op; it fires only when a bounded input ends.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        if (n + 1 - valueOf(fittedThrough) >= refitEveryVotes) {
            refit(ctx, out);
        } else if (refitTimer.value() == null) {
            long due = ctx.timerService().currentProcessingTime() + refitInterval.toMillis();
            ctx.timerService().registerProcessingTimeTimer(due);
            refitTimer.update(due);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            refitTimer.clear();
        }
        if (valueOf(received) > valueOf(fittedThrough)) {
            refit(ctx, out);
        }
    }

    private void refit(Context ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        CrowdDataset data = PairwiseDatasets.fromComparisons(windowByComparison()).dataset();
        AggregationResult<?> result = estimator.fit(data);
        AnnotatorModel model = result.model();
        long v = valueOf(version) + 1;
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        version.update(v);
        fittedThrough.update(valueOf(received));
        Long pending = refitTimer.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
            refitTimer.clear();
        }
        out.collect(AnnotatorModelUpdate.of(v, now, data.numJudgements(), model));
        for (String annotator : model.annotators().ids()) {
            ctx.output(ESTIMATES, AnnotatorEstimates.toAvro(model, annotator, v, now, data.numJudgements()));
        }
        addLabelNoise(LabelNoise.of(result.method(), v, result.flipRate()));
    }

    private void addLabelNoise(LabelNoise estimate) {
        if (labelNoise == null) {
            // registered at the first fit, so a job that never fits reports no estimate rather than an empty one
            labelNoise = new LatestLabelNoise();
            getRuntimeContext().addAccumulator(LabelNoise.ACCUMULATOR, labelNoise);
        }
        labelNoise.add(estimate);
    }

    /**
     * The window's votes grouped by comparison, in comparison id order, each comparison's by event id and pair. A fit
     * sums over its votes in the order given, and floating-point sums depend on order; the order votes arrive in here
     * differs with the parallelism upstream, so a fixed order makes the same votes give the same model, bit for bit.
     */
    private Map<String, List<PairwiseVote>> windowByComparison() throws Exception {
        long end = valueOf(received);
        Map<String, List<WindowVote>> byComparison = new TreeMap<>();
        for (long n = Math.max(0, end - windowVotes); n < end; n++) {
            WindowVote v = window.get(n);
            byComparison.computeIfAbsent(v.comparisonId(), c -> new ArrayList<>()).add(v);
        }
        Map<String, List<PairwiseVote>> ordered = new LinkedHashMap<>();
        byComparison.forEach((comparison, votes) -> ordered.put(comparison, votes.stream()
                .sorted(IN_CANONICAL_ORDER).map(WindowVote::toPairwiseVote).toList()));
        return ordered;
    }

    private static long valueOf(ValueState<Long> state) throws Exception {
        Long v = state.value();
        return v == null ? 0 : v;
    }
}
