package io.prefpipe.app.serve;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes events to the Avro feedback topic, keyed by comparison id, through one idempotent producer
 * ({@code acks=all}), and waits for every acknowledgement up to the ack timeout.
 *
 * <p>Unlike the bulk {@link io.prefpipe.ingestion.kafka.FeedbackProducer}, a failure concerns one request only: each
 * request waits on its own records' futures, so a broker outage answers the requests of that moment with an error and
 * the ones after it succeed again once the broker is back.
 */
public final class KafkaFeedbackPublisher implements FeedbackPublisher {
    private static final long LINGER_MS = 5;

    private final String topic;
    private final Duration ackTimeout;
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile boolean closed;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic the Avro feedback topic
     * @param ackTimeout how long {@link #publish} waits for all acknowledgements, metadata lookups included
     */
    public KafkaFeedbackPublisher(String bootstrapServers, String topic, Duration ackTimeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (ackTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("ackTimeout must be at least 1 ms, got " + ackTimeout);
        }
        long timeoutMs = ackTimeout.toMillis();
        // send() blocks for metadata at most max.block.ms, and a record fails at the latest after delivery.timeout.ms;
        // both within the ack timeout (plus linger, which Kafka requires) so no record outlives its request by much.
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, Long.toString(LINGER_MS),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeoutMs),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeoutMs, Integer.MAX_VALUE)),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeoutMs + LINGER_MS,
                        Integer.MAX_VALUE)));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<FeedbackEvent> events) {
        if (closed) {
            throw new IllegalStateException("the publisher is closed");
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        // A codec per call: AvroCodec is not thread-safe, and requests arrive on many threads.
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (FeedbackEvent e : events) {
                byte[] key = e.getComparisonId().getBytes(StandardCharsets.UTF_8);
                acks.add(producer.send(new ProducerRecord<>(topic, key, codec.encode(e))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledgedException("interrupted while waiting for Kafka", e);
        } catch (TimeoutException e) {
            throw new NotAcknowledgedException("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new NotAcknowledgedException("Kafka refused or timed out a write to '" + topic + "': "
                    + e.getCause().getMessage(), e.getCause());
        } catch (KafkaException e) {
            throw new NotAcknowledgedException("cannot write to '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            producer.close(ackTimeout);
        }
    }
}
