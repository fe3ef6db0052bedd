package io.prefpipe.flink.curate;

import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.labeling.aggregate.PairwiseVoteWindow;
import io.prefpipe.labeling.crowd.AggregationResult;
import io.prefpipe.labeling.crowd.AnnotatorModel;
import io.prefpipe.labeling.crowd.CrowdAggregator;
import io.prefpipe.labeling.crowd.CrowdDataset;
import io.prefpipe.schema.AnnotatorEstimate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
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
 * not yet fitted, whichever comes first.
 *
 * <p>Refits by count are also held to {@code maxTimeShare} of the operator's time: after a fit that took t, the next
 * one by count waits until t·(1/share − 1) has passed. A fit's cost grows with the window, and the number of fits with
 * the stream's rate, so without that bound a fast stream makes the estimator, which runs in one task, the whole job's
 * bottleneck (Dawid-Skene over a full window of 100,000 votes, refitted every 5,000, took 44% of the job's CPU and
 * halved its throughput). Each fit emits the model (for the curation tasks, which get it by broadcast),
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

    static final OutputTag<AnnotatorEstimate> ESTIMATES =
            new OutputTag<>("annotator-estimates", new AvroTypeInfo<>(AnnotatorEstimate.class));

    private final String aggregatorName;
    private final int windowVotes;
    private final int refitEveryVotes;
    private final Duration refitInterval;
    private final double maxTimeShare;

    /**
     * The window, in memory: votes in compact form, refitted without rebuilding a dataset from strings. Kept in
     * operator state, written at each checkpoint (see {@link #snapshotState}); the operator runs with parallelism 1,
     * so that state is never split.
     */
    private transient PairwiseVoteWindow window;
    private transient ListState<byte[]> windowState;
    /** {@code window.received()} at the last fit. */
    private transient ValueState<Long> fittedThrough;
    private transient ValueState<Long> version;
    /** The pending processing-time refit, if any. */
    private transient ValueState<Long> refitTimer;
    private transient CrowdAggregator<?> estimator;
    /** Processing time before which no refit by count starts; not checkpointed, a restored task may fit at once. */
    private transient long nextFitByCountMillis;
    private transient LatestLabelNoise labelNoise;
    /**
     * The latest estimate, in operator state so that a restored job reports it before its first refit (accumulators
     * start empty in every task attempt).
     */
    private transient ListState<LabelNoise> labelNoiseState;

    EstimateAnnotators(String aggregatorName, int windowVotes, int refitEveryVotes, Duration refitInterval,
            double maxTimeShare) {
        this.aggregatorName = aggregatorName;
        this.windowVotes = windowVotes;
        this.refitEveryVotes = refitEveryVotes;
        this.refitInterval = refitInterval;
        this.maxTimeShare = maxTimeShare;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        labelNoiseState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("label-noise", TypeInformation.of(LabelNoise.class)));
        for (LabelNoise restored : labelNoiseState.get()) {
            addLabelNoise(restored);
        }
        windowState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("vote-window", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        window = null;
        for (byte[] restored : windowState.get()) {
            if (window != null) {
                throw new IllegalStateException("more than one vote window restored; the estimator runs with"
                        + " parallelism 1");
            }
            // a job restored with another window size keeps the newest votes that fit
            window = PairwiseVoteWindow.readFrom(new DataInputStream(new ByteArrayInputStream(restored)),
                    windowVotes);
        }
        if (window == null) {
            window = new PairwiseVoteWindow(windowVotes);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        LabelNoise latest = labelNoise == null ? null : labelNoise.getLocalValue();
        labelNoiseState.update(latest == null ? List.of() : List.of(latest));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            window.writeTo(out);
        }
        windowState.update(List.of(bytes.toByteArray()));
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
        fittedThrough = getRuntimeContext().getState(new ValueStateDescriptor<>("fitted-through", Types.LONG));
        version = getRuntimeContext().getState(new ValueStateDescriptor<>("version", Types.LONG));
        refitTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("refit-timer", Types.LONG));
        estimator = Aggregators.estimator(aggregatorName);
    }

    @Override
    public void processElement(WindowVote vote, Context ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        window.add(vote.comparisonId(), vote.toPairwiseVote());
        // Registering the same timer again is a no-op; it fires only when a bounded input ends.
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        if (window.received() - valueOf(fittedThrough) >= refitEveryVotes) {
            if (ctx.timerService().currentProcessingTime() >= nextFitByCountMillis) {
                refit(ctx, out);
            } else {
                refitBy(nextFitByCountMillis, ctx);
            }
        } else if (refitTimer.value() == null) {
            refitBy(ctx.timerService().currentProcessingTime() + refitInterval.toMillis(), ctx);
        }
    }

    /** Makes sure a processing-time refit is due at {@code due} or earlier. */
    private void refitBy(long due, Context ctx) throws Exception {
        Long pending = refitTimer.value();
        if (pending != null && pending <= due) {
            return;
        }
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
        }
        ctx.timerService().registerProcessingTimeTimer(due);
        refitTimer.update(due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            refitTimer.clear();
        }
        if (window.received() > valueOf(fittedThrough)) {
            refit(ctx, out);
        }
    }

    private void refit(Context ctx, Collector<AnnotatorModelUpdate> out) throws Exception {
        long start = System.nanoTime();
        CrowdDataset data = window.dataset();
        AggregationResult<?> result = estimator.fit(data);
        AnnotatorModel model = result.model();
        long fitNanos = System.nanoTime() - start;
        long v = valueOf(version) + 1;
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        nextFitByCountMillis = now.toEpochMilli() + (long) Math.ceil(fitNanos * (1 / maxTimeShare - 1) / 1e6);
        version.update(v);
        fittedThrough.update(window.received());
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

    private static long valueOf(ValueState<Long> state) throws Exception {
        Long v = state.value();
        return v == null ? 0 : v;
    }
}
