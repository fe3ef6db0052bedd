package io.prefpipe.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
        return readFrom(bootstrap, topic, Map.of(), timeout);
    }

    /**
     * The records of {@code topic} from the given offset of each partition on (a partition without one from its
     * beginning, which is offset 0 only until retention deletes the first records), partition by partition in offset
     * order: for a check that only concerns records written after {@link #endOffsets} were taken, whatever any clock
     * says.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> readFrom(String bootstrap, String topic,
            Map<Integer, Long> from, Duration timeout) {
        return read(bootstrap, topic, (consumer, end) -> {
            List<TopicPartition> fromBeginning = new ArrayList<>();
            for (TopicPartition p : end.keySet()) {
                Long offset = from.get(p.partition());
                if (offset == null) {
                    fromBeginning.add(p);
                } else {
                    consumer.seek(p, offset);
                }
            }
            if (!fromBeginning.isEmpty()) {
                // an empty collection would mean every assigned partition
                consumer.seekToBeginning(fromBeginning);
            }
        }, timeout);
    }

    /**
     * The end offset of each partition of {@code topic} as a {@code read_committed} reader sees it now (the last stable
     * offset), by partition number.
     */
    public static Map<Integer, Long> endOffsets(String bootstrap, String topic, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            Map<Integer, Long> end = new TreeMap<>();
            consumer.endOffsets(partitions(consumer, topic, timeout), timeout)
                    .forEach((p, offset) -> end.put(p.partition(), offset));
            return end;
        }
    }

    /** Positions a consumer assigned every partition at its first record to read, given the end offsets. */
    private interface Start {
        void seek(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, Start start,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            Set<TopicPartition> partitions = partitions(consumer, topic, timeout);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            start.seek(consumer, end);
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

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Set<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
            Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
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
