package io.prefpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CommittedRecordsITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** Recent, so that the broker's retention (seven days by default) keeps every record. */
    private static final Instant T = Instant.now().minusSeconds(600);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void read_readsEveryRecordOfEveryPartition() throws Exception {
        String topic = "committed-records-all";
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 3, (short) 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, topic, 0, T.minusSeconds(60), "p0-old");
            send(producer, topic, 0, T, "p0-at");
            send(producer, topic, 0, T.plusSeconds(60), "p0-new");
            send(producer, topic, 1, T.minusSeconds(30), "p1-old");
            send(producer, topic, 2, T.plusSeconds(1), "p2-new");
            producer.flush();
        }

        assertThat(values(CommittedRecords.read(KAFKA.bootstrapServers(), topic, TIMEOUT)))
                .containsExactlyInAnyOrder("p0-old", "p0-at", "p0-new", "p1-old", "p2-new");
    }

    @Test
    void readFrom_endOffsetsTakenEarlier_readsOnlyWhatCameAfterThem_whateverItsTimestamp() throws Exception {
        String topic = "committed-records-from";
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 2, (short) 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, topic, 0, T, "p0-before");
            send(producer, topic, 1, T, "p1-before");
            send(producer, topic, 1, T, "p1-before-2");
            producer.flush();
            Map<Integer, Long> from = CommittedRecords.endOffsets(KAFKA.bootstrapServers(), topic, TIMEOUT);
            assertThat(from).containsExactly(Map.entry(0, 1L), Map.entry(1, 2L));
            // stamped long before the offsets were taken, as by a clock set back
            send(producer, topic, 0, T.minusSeconds(86_400), "p0-after");
            send(producer, topic, 1, T, "p1-after");
            producer.flush();

            assertThat(values(CommittedRecords.readFrom(KAFKA.bootstrapServers(), topic, from, TIMEOUT)))
                    .containsExactlyInAnyOrder("p0-after", "p1-after");
            assertThat(values(CommittedRecords.readFrom(KAFKA.bootstrapServers(), topic, Map.of(1, 2L), TIMEOUT)))
                    .as("a partition without an offset from its beginning")
                    .containsExactlyInAnyOrder("p0-before", "p0-after", "p1-after");
        }
    }

    @Test
    void readFrom_aPartitionWithoutAnOffsetIsReadFromItsFirstRecordLeft() throws Exception {
        String topic = "committed-records-retention";
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 2, (short) 1);
        try (KafkaProducer<byte[], byte[]> producer = producer();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KAFKA.bootstrapServers()))) {
            send(producer, topic, 0, T, "p0-deleted");
            send(producer, topic, 0, T, "p0-kept");
            send(producer, topic, 1, T, "p1-deleted");
            send(producer, topic, 1, T, "p1-kept");
            producer.flush();
            // as retention does: partition 0 now starts at offset 1
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1))).all().get();

            assertThat(values(CommittedRecords.readFrom(KAFKA.bootstrapServers(), topic, Map.of(1, 1L), TIMEOUT)))
                    .containsExactlyInAnyOrder("p0-kept", "p1-kept");
            assertThat(values(CommittedRecords.readFrom(KAFKA.bootstrapServers(), topic, Map.of(), TIMEOUT)))
                    .containsExactlyInAnyOrder("p0-kept", "p1-deleted", "p1-kept");
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, Instant time,
            String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, time.toEpochMilli(), null,
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
