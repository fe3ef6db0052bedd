package io.prefpipe.flink.kafka;

import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run reads from the feedback topic: per partition, the offsets {@code [start, end)}.
 *
 * @param topic the feedback topic
 * @param replicationFactor the topic's replication factor, reused for the output topics the job creates
 * @param ranges one range per partition, ordered by partition
 */
public record SourcePlan(String topic, short replicationFactor, List<OffsetRange> ranges) {
    public SourcePlan {
        Objects.requireNonNull(topic, "topic");
        ranges = List.copyOf(ranges);
    }

    public int partitions() {
        return ranges.size();
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
