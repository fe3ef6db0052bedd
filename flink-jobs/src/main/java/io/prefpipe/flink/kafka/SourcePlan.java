package io.prefpipe.flink.kafka;

import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run reads from the feedback topics: per partition of each, the offsets {@code [start, end)}.
 *
 * @param topics the topics read, the main (Avro) feedback topic first
 * @param replicationFactor the first topic's replication factor, reused for the output topics the job creates
 * @param ranges one range per partition, ordered by topic as in {@code topics}, then by partition
 */
public record SourcePlan(List<String> topics, short replicationFactor, List<OffsetRange> ranges) {
    public SourcePlan {
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must name at least one topic");
        }
        ranges = List.copyOf(ranges);
        for (OffsetRange r : ranges) {
            if (!topics.contains(r.topic())) {
                throw new IllegalArgumentException("range of topic '" + r.topic() + "' is not in topics " + topics);
            }
        }
    }

    /** Partitions of all topics together. */
    public int partitions() {
        return ranges.size();
    }

    /** Partitions of one topic; 0 for a topic not in the plan. */
    public int partitions(String topic) {
        return (int) ranges.stream().filter(r -> r.topic().equals(topic)).count();
    }

    /** Messages in all ranges; an upper bound on events, since transaction markers take offsets too. */
    public long offsetsCovered() {
        return ranges.stream().mapToLong(r -> r.endOffset() - r.startOffset()).sum();
    }

    public Map<TopicPartition, Long> startOffsets() {
        return offsets(OffsetRange::startOffset);
    }

    public Map<TopicPartition, Long> endOffsets() {
        return offsets(OffsetRange::endOffset);
    }

    private Map<TopicPartition, Long> offsets(ToLongFunction<OffsetRange> offset) {
        return ranges.stream().collect(Collectors.toMap(
                r -> new TopicPartition(r.topic(), r.partition()), offset::applyAsLong));
    }
}
