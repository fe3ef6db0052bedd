package io.prefpipe.app.candidates;

import io.prefpipe.app.kafka.CommittedRecords;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.AvroDecodeException;
import io.prefpipe.schema.AnnotationRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a checkpoint's {@link AnnotationRequest}s on the candidates topic, once: all of them in one Kafka
 * transaction, so a reader ({@code read_committed}) sees all or none, and only if none of that checkpoint's are there
 * yet. A publisher that crashed after the commit but before its caller recorded it finds them on the retry and publishes
 * nothing; one that crashed before the commit left an open or aborted transaction, which the retry's producer (same
 * transactional id) aborts before looking.
 *
 * <p>Records are keyed by comparison id, Avro binary.
 */
public final class AnnotationRequests {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final String bootstrap;
    private final String topic;
    private final String transactionalId;
    private final AvroCodec<AnnotationRequest> codec = new AvroCodec<>(AnnotationRequest.class);

    /**
     * @param transactionalId the producer's transactional id; the same on every run of one loop, so a new run fences
     *     and aborts what a crashed one left open
     */
    public AnnotationRequests(String bootstrap, String topic, String transactionalId) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.transactionalId = Objects.requireNonNull(transactionalId, "transactionalId");
    }

    /** The topic's end offsets as a {@code read_committed} reader sees them now, by partition. */
    public Map<Integer, Long> endOffsets() {
        return CommittedRecords.endOffsets(bootstrap, topic, TIMEOUT);
    }

    /**
     * Publishes the requests {@code generate} makes for checkpoint {@code checkpointId}, unless requests of that
     * checkpoint are on the topic already; {@code generate} is called only when they are not.
     *
     * @param from no request of the checkpoint can be before these offsets (by partition; {@link
     *     CommittedRecords#endOffsets} taken before the first attempt to publish them): the topic is read from there on
     * @return how many requests of the checkpoint are on the topic afterwards
     * @throws IllegalStateException if Kafka fails
     */
    public long publishOnce(String checkpointId, Map<Integer, Long> from,
            Supplier<List<AnnotationRequest>> generate) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            long there = CommittedRecords.readFrom(bootstrap, topic, from, TIMEOUT).stream().map(this::decode)
                    .filter(r -> r.getCheckpointId().equals(checkpointId)).count();
            if (there > 0) {
                return there;
            }
            List<AnnotationRequest> requests = generate.get();
            for (AnnotationRequest r : requests) {
                if (!r.getCheckpointId().equals(checkpointId)) {
                    throw new IllegalArgumentException("request " + r.getComparisonId() + " is of checkpoint "
                            + r.getCheckpointId() + ", not " + checkpointId);
                }
            }
            if (requests.isEmpty()) {
                return 0;
            }
            producer.beginTransaction();
            for (AnnotationRequest r : requests) {
                producer.send(new ProducerRecord<>(topic, r.getComparisonId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(r)));
            }
            producer.commitTransaction();
            return requests.size();
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot publish the annotation requests of " + checkpointId + " to "
                    + topic + ": " + e.getMessage(), e);
        }
    }

    /** Every committed request on the topic, in offset order per partition. */
    public List<AnnotationRequest> readAll() {
        return CommittedRecords.read(bootstrap, topic, TIMEOUT).stream().map(this::decode).toList();
    }

    private AnnotationRequest decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return codec.decode(r.value());
        } catch (AvroDecodeException e) {
            throw new IllegalStateException("record " + r.topic() + "/" + r.partition() + "@" + r.offset()
                    + " is not an AnnotationRequest: " + e.getMessage(), e);
        }
    }
}
