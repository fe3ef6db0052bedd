package io.prefpipe.flink.curate;

import io.prefpipe.labeling.curate.FilterReason;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Counts the fate of every event in Flink accumulators, which the job client reads while the job runs and the job
 * result holds exactly once it has finished. Every event read is counted once as in, and once as curated, filtered
 * (by reason) or dead-lettered (by reason).
 *
 * <p>Accumulators are not part of checkpointed state: after a restart from a checkpoint they restart from zero.
 * Bounded runs therefore run with no restart strategy, so their totals are exact.
 */
final class FateCounters {
    static final String PREFIX = "prefpipe.";
    static final String EVENTS_IN = PREFIX + "events_in";
    static final String EVENTS_IN_BY_TOPIC = PREFIX + "events_in_by_topic.";
    static final String CURATED_EVENTS = PREFIX + "curated_events";
    static final String PAIRS = PREFIX + "pairs";
    static final String FILTERED = PREFIX + "filtered.";
    static final String DEAD_LETTERED = PREFIX + "dead_lettered.";

    private final RuntimeContext context;
    private final Map<String, LongCounter> counters = new HashMap<>();

    FateCounters(RuntimeContext context) {
        this.context = context;
    }

    void eventIn(String topic) {
        add(EVENTS_IN, 1);
        add(EVENTS_IN_BY_TOPIC + topic, 1);
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
                value(accumulators.get(PAIRS)), filtered, deadLettered);
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
