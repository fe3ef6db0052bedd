package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.schema.CheckpointEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CheckpointPublisherITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static CheckpointEvent event(String id) {
        return CheckpointEvent.newBuilder()
                .setCheckpointId(id)
                .setPath("/loop/iteration-0001/checkpoint")
                .setSnapshotId("loop-iteration-0001")
                .setSnapshotManifest("/loop/iteration-0001/snapshot/manifest.json")
                .setLoss("dpo")
                .setSeed(42)
                .setCreatedTime(Instant.now())
                .build();
    }

    private static String topic() throws Exception {
        String topic = "checkpoints-" + UUID.randomUUID();
        Topics.ensure(KAFKA.bootstrapServers(), List.of(topic), 1, (short) 1);
        return topic;
    }

    @Test
    void publishOnce_twice_sendsTheEventOnce() throws Exception {
        CheckpointPublisher publisher = new CheckpointPublisher(KAFKA.bootstrapServers(), topic());

        assertThat(publisher.publishOnce(event("loop-iteration-0001"))).isTrue();
        assertThat(publisher.publishOnce(event("loop-iteration-0001"))).isFalse();
        assertThat(publisher.publishOnce(event("loop-iteration-0002"))).isTrue();

        assertThat(publisher.count("loop-iteration-0001")).isEqualTo(1);
        assertThat(publisher.count("loop-iteration-0002")).isEqualTo(1);
    }

    /**
     * As when the clock was set back after the iteration began and before the event was sent, then the process
     * crashed: the event is stamped before the iteration's start, where no window of the retry would look.
     */
    @Test
    void publishOnce_eventStampedLongBeforeTheRetry_isNotSentAgain() throws Exception {
        String topic = topic();
        String id = "loop-iteration-0001";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, Instant.now().minus(Duration.ofDays(3)).toEpochMilli(),
                    id.getBytes(StandardCharsets.UTF_8), new AvroCodec<>(CheckpointEvent.class).encode(event(id))))
                    .get();
        }
        CheckpointPublisher publisher = new CheckpointPublisher(KAFKA.bootstrapServers(), topic);

        assertThat(publisher.publishOnce(event(id))).isFalse();
        assertThat(publisher.count(id)).isEqualTo(1);
    }
}
