package io.prefpipe.flink.curate;

import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Counts the fate of every event: once as in, and once as curated, filtered (by reason) or dead-lettered (by reason);
 * and the valid events waiting in undecided comparisons, which have no fate yet.
 *
 * <p>The counts live in checkpointed operator state, so they are exactly as consistent as the outputs: a checkpoint
 * holds the counts of precisely the events whose effects it commits, and a job restored from it (after a task failure,
 * a killed process or a savepoint) goes on counting from there while the source replays what came after it. Flink
 * accumulators only carry them to the job client (running counts, and the job result once it has finished); since an
 * accumulator starts from zero in every new task attempt, each attempt seeds its accumulators with the restored counts.
 *
 * <p>Each subtask keeps its own totals as one list entry. On a change of parallelism Flink redistributes the entries
 * among the new subtasks, each of which adds up what it gets, so the sum over subtasks stays the same.
 */
final class FateCounters {
    static final String PREFIX = "prefpipe.";
    static final String EVENTS_IN = PREFIX + "events_in";
    static final String EVENTS_IN_BY_TOPIC = PREFIX + "events_in_by_topic.";
    static final String CURATED_EVENTS = PREFIX + "curated_events";
    static final String PAIRS = PREFIX + "pairs";
    /** Valid events waiting in comparisons not yet decided. */
    static final String OPEN = PREFIX + "open_events";
    static final String FILTERED = PREFIX + "filtered.";
    static final String DEAD_LETTERED = PREFIX + "dead_lettered.";

    /** The global job parameter naming the {@link CheckpointLedger} folder (a URI); absent when there is none. */
    static final String LEDGER_DIR = PREFIX + "ledger-dir";

    private static final ListStateDescriptor<Map<String, Long>> STATE =
            new ListStateDescriptor<>("fate-counts", Types.MAP(Types.STRING, Types.LONG));
    private static final ListStateDescriptor<Map<String, Long>> POSITIONS =
            new ListStateDescriptor<>("source-positions", Types.MAP(Types.STRING, Types.LONG));

    private final RuntimeContext context;
    private final String operator;
    private final ListState<Map<String, Long>> state;
    private final ListState<Map<String, Long>> positionState;
    /** This subtask's share of the job's counts since its first start, by accumulator name. */
    private final Map<String, Long> totals = new HashMap<>();
    private final Map<String, LongCounter> counters = new HashMap<>();
    /** Per {@code topic/partition}, one past the last offset this subtask read. */
    private final Map<String, Long> nextOffsets = new HashMap<>();
    /**
     * The key and the by-topic counter of the partition read last: records come in runs from one partition, so most
     * events reuse them.
     */
    private String lastTopic;
    private int lastPartition;
    private String lastKey;
    private String lastTopicCounter;

    private FateCounters(RuntimeContext context, String operator, ListState<Map<String, Long>> state,
            ListState<Map<String, Long>> positionState) {
        this.context = context;
        this.operator = operator;
        this.state = state;
        this.positionState = positionState;
    }

    /**
     * The counters of one subtask of {@code operator} (its uid), restored from its operator state (empty on a fresh
     * start), for a function's {@code initializeState}.
     */
    static FateCounters restore(RuntimeContext context, FunctionInitializationContext init, String operator)
            throws Exception {
        FateCounters fates = new FateCounters(context, operator, init.getOperatorStateStore().getListState(STATE),
                init.getOperatorStateStore().getListState(POSITIONS));
        for (Map<String, Long> restored : fates.state.get()) {
            restored.forEach(fates::add);
        }
        for (Map<String, Long> restored : fates.positionState.get()) {
            restored.forEach((k, v) -> fates.nextOffsets.merge(k, v, Math::max));
        }
        return fates;
    }

    /**
     * Stores the totals in operator state, for a function's {@code snapshotState}, and, when the job keeps a
     * {@link CheckpointLedger}, records them there for checkpoint {@code checkpointId}.
     */
    void snapshot(long checkpointId) throws Exception {
        state.update(List.of(new HashMap<>(totals)));
        positionState.update(nextOffsets.isEmpty() ? List.of() : List.of(new HashMap<>(nextOffsets)));
        String ledger = context.getGlobalJobParameters().get(LEDGER_DIR);
        if (ledger != null) {
            CheckpointLedger.write(new Path(ledger), new CheckpointLedger.Entry(operator,
                    context.getTaskInfo().getIndexOfThisSubtask(), context.getTaskInfo().getNumberOfParallelSubtasks(),
                    checkpointId, totals, nextOffsets, Map.of()));
        }
    }

    /** Counts an event read from {@code topic}'s {@code partition} at {@code offset}. */
    void eventIn(String topic, int partition, long offset) {
        if (lastKey == null || partition != lastPartition || !topic.equals(lastTopic)) {
            lastTopic = topic;
            lastPartition = partition;
            lastKey = topic + "/" + partition;
            lastTopicCounter = EVENTS_IN_BY_TOPIC + topic;
        }
        add(EVENTS_IN, 1);
        add(lastTopicCounter, 1);
        nextOffsets.merge(lastKey, offset + 1, Math::max);
    }

    /** A valid event now waits in its comparison. */
    void opened() {
        add(OPEN, 1);
    }

    /** A comparison was decided: its waiting events have their fates now. */
    void decided(long events) {
        add(OPEN, -events);
    }

    void curated(long events) {
        add(CURATED_EVENTS, events);
    }

    void pairs(long pairs) {
        add(PAIRS, pairs);
    }

    void filtered(FilterReason reason) {
        add(FILTERED + reason.code(), 1);
    }

    void deadLettered(String reasonCode) {
        add(DEAD_LETTERED + reasonCode, 1);
    }

    private void add(String name, long n) {
        totals.merge(name, n, Long::sum);
        counters.computeIfAbsent(name, context::getLongCounter).add(n);
    }

    /** The counts held in a job's accumulators; other accumulators are ignored. */
    static Counts counts(Map<String, Object> accumulators) {
        Map<String, Long> filtered = new TreeMap<>();
        Map<String, Long> deadLettered = new TreeMap<>();
        for (Map.Entry<String, Object> e : accumulators.entrySet()) {
            if (e.getKey().startsWith(FILTERED)) {
                filtered.put(e.getKey().substring(FILTERED.length()), value(e.getValue()));
            } else if (e.getKey().startsWith(DEAD_LETTERED)) {
                deadLettered.put(e.getKey().substring(DEAD_LETTERED.length()), value(e.getValue()));
            }
        }
        return new Counts(value(accumulators.get(EVENTS_IN)), value(accumulators.get(CURATED_EVENTS)),
                value(accumulators.get(PAIRS)), filtered, deadLettered, 0, value(accumulators.get(OPEN)));
    }

    /** Events in by source topic; they add up to {@link Counts#eventsIn()}. */
    static Map<String, Long> eventsInByTopic(Map<String, Object> accumulators) {
        Map<String, Long> byTopic = new TreeMap<>();
        for (Map.Entry<String, Object> e : accumulators.entrySet()) {
            if (e.getKey().startsWith(EVENTS_IN_BY_TOPIC)) {
                byTopic.put(e.getKey().substring(EVENTS_IN_BY_TOPIC.length()), value(e.getValue()));
            }
        }
        return byTopic;
    }

    private static long value(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
