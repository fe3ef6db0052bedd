package io.prefpipe.app.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as it is now: every committed record up to the end offsets when the read begins (with
 * {@code read_committed}, the last stable offsets: records of aborted transactions are skipped, and a transaction still
 * open holds the end back). What the alignment loop checks before publishing, to publish each thing once.
 */
public final class CommittedRecords {
    private static final Duration POLL = Duration.ofMillis(200);

    private CommittedRecords() {}

    /**
     * Every record of {@code topic}, partition by partition in offset order.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, Duration timeout) {
        return read(bootstrap, topic, null, timeout);
    }

    /**
     * The records of {@code topic} from the first one stamped at or after {@code since} on, partition by partition in
     * offset order: for a check that only concerns records written after a known time, which then reads what came
     * since instead of a topic that grows for months.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> readSince(String bootstrap, String topic, Instant since,
            Duration timeout) {
        return read(bootstrap, topic, since, timeout);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, Instant since,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            if (since == null) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, OffsetAndTimestamp> first = consumer.offsetsForTimes(partitions.stream()
                        .collect(Collectors.toMap(p -> p, p -> since.toEpochMilli())), timeout);
                // no record at or after that time: nothing to read in the partition
                partitions.forEach(p -> consumer.seek(p, first.get(p) == null ? end.get(p) : first.get(p).offset()));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic + " to its end offsets " + end + " within "
                            + timeout.toSeconds() + " s");
                }
                consumer.poll(POLL).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        records.add(r);
                    }
                });
            }
        }
        return records;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
