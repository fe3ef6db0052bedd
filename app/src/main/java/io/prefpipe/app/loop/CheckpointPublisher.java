package io.prefpipe.app.loop;

import io.prefpipe.app.kafka.CommittedRecords;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.CheckpointEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@link CheckpointEvent}s on the checkpoints topic, each checkpoint id once: before sending, it reads the
 * topic for an event keyed by that id. An event whose send was acknowledged (or even only appended) before a crash is
 * found there on the retry, so a crash between the broker's acknowledgement and the loop's journal never publishes a
 * checkpoint twice. One loop publishes its own ids; two publishers racing on one id are not guarded against.
 */
public final class CheckpointPublisher {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final String bootstrap;
    private final String topic;
    private final AvroCodec<CheckpointEvent> codec = new AvroCodec<>(CheckpointEvent.class);

    public CheckpointPublisher(String bootstrap, String topic) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /**
     * Sends {@code event} keyed by its checkpoint id, with acks from all replicas, unless the topic holds an event with
     * that key already. The whole topic is read: it holds one small event per iteration, and a search from a point in
     * time would trust the clock, which may have been set back between a crash and the retry.
     *
     * @return true if it was sent now, false if it had been before
     * @throws IllegalStateException if the topic cannot be read or the send fails
     */
    public boolean publishOnce(CheckpointEvent event) {
        if (count(event.getCheckpointId()) > 0) {
            return false;
        }
        byte[] key = event.getCheckpointId().getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, codec.encode(event))).get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing checkpoint " + event.getCheckpointId(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish checkpoint " + event.getCheckpointId() + " to " + topic
                    + ": " + e.getCause(), e.getCause());
        }
    }

    /** How many events with this checkpoint id the topic holds. */
    public long count(String checkpointId) {
        byte[] key = checkpointId.getBytes(StandardCharsets.UTF_8);
        return CommittedRecords.read(bootstrap, topic, TIMEOUT).stream()
                .filter(r -> Arrays.equals(r.key(), key)).count();
    }
}
