package io.prefpipe.flink.kafka;

import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Fixes the offsets a run covers before it starts, and commits them after a bounded run succeeded.
 *
 * <p>The end of each range is the partition's last stable offset (what a {@code read_committed} consumer can see) at
 * planning time, so a bounded run reads a well-defined prefix of the topic and the snapshot manifest can state it.
 * Offsets are committed only once the snapshot is complete, so a failed run never advances the group.
 */
public final class SourcePlanner {
    private final String bootstrapServers;

    public SourcePlanner(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Plans the ranges of every partition of each topic, in the order given.
     *
     * @throws IllegalStateException if a topic does not exist or the cluster cannot be reached
     */
    public SourcePlan plan(List<String> topics, String groupId, StartingOffsets from) {
        try (Admin admin = admin()) {
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
            Map<String, TopicDescription> descriptions = new HashMap<>();
            for (String topic : topics) {
                descriptions.put(topic, describe(topic, described.get(topic)));
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                descriptions.get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .sorted(Comparator.comparingInt(TopicPartition::partition))
                        .forEach(partitions::add);
            }
            Map<TopicPartition, Long> earliest = listOffsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = listOffsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, OffsetAndMetadata> committed = from == StartingOffsets.COMMITTED
                    ? admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                    : Map.of();
            List<OffsetRange> ranges = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long end = latest.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                // A committed offset below the earliest one was deleted by retention; one beyond the end cannot be
                // read yet. Clamp both so the range is always readable.
                long start = Math.min(end, Math.max(earliest.get(tp), c == null ? 0 : c.offset()));
                ranges.add(new OffsetRange(tp.topic(), tp.partition(), start, end));
            }
            short replication = (short) descriptions.get(topics.get(0)).partitions().get(0).replicas().size();
            return new SourcePlan(topics, replication, ranges);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while planning offsets of " + topics, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot plan offsets of " + topics + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private TopicDescription describe(String topic, KafkaFuture<TopicDescription> description)
            throws InterruptedException, ExecutionException {
        try {
            return description.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("topic '" + topic + "' does not exist on " + bootstrapServers, e);
            }
            throw e;
        }
    }

    /** Commits the end of every range as the group's offset, so a {@link StartingOffsets#COMMITTED} run goes on there. */
    public void commit(String groupId, SourcePlan plan) {
        Map<TopicPartition, OffsetAndMetadata> offsets = plan.endOffsets().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(groupId, offsets).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing offsets of group " + groupId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot commit offsets of group " + groupId + " on " + bootstrapServers
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static Map<TopicPartition, Long> listOffsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get();
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
