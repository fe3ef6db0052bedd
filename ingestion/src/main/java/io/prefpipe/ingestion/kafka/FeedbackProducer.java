package io.prefpipe.ingestion.kafka;

import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends feedback events and dead letters to Kafka, Avro binary encoded with {@link AvroCodec}, through one idempotent
 * producer ({@code acks=all}, {@code enable.idempotence=true}), so a retried send never duplicates or reorders a
 * record within a partition.
 *
 * <p>Events are keyed by their comparison id, so every vote on a comparison lands in the same partition, in order.
 * Dead letters carry no key.
 *
 * <p>Sends are asynchronous. The first failure reported by Kafka is kept and thrown as a
 * {@link SendFailedException} on the caller's thread by the next {@link #send}, {@link #sendDeadLetter} or
 * {@link #flush}, and by every one after it, since later records could otherwise overtake a lost one unnoticed. A
 * failure nobody has been told of yet is thrown by {@link #close}.
 *
 * <p>Not thread-safe: the Avro codecs are reused across sends; use one producer per thread.
 *
 * <pre>{@code
 * FeedbackProducerConfig config = FeedbackProducerConfig.builder().setBootstrapServers("127.0.0.1:9092").build();
 * try (FeedbackProducer producer = new FeedbackProducer(config)) {
 *     producer.send(event);
 *     producer.flush();
 * }
 * }</pre>
 */
public final class FeedbackProducer implements FeedbackSink {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackProducer.class);

    private final FeedbackProducerConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroCodec<FeedbackEvent> eventCodec = new AvroCodec<>(FeedbackEvent.class);
    private final AvroCodec<DeadLetter> deadLetterCodec = new AvroCodec<>(DeadLetter.class);
    private final AtomicReference<Exception> asyncFailure = new AtomicReference<>();
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final AtomicLong deadLettersDelivered = new AtomicLong();
    private final Callback eventCallback = (metadata, e) -> completed(e, eventsDelivered);
    private final Callback deadLetterCallback = (metadata, e) -> completed(e, deadLettersDelivered);
    private boolean failureThrown;
    private boolean closed;

    /**
     * Creates the Kafka producer. It connects lazily; the topics must exist (see {@link Topics#ensure}).
     *
     * @throws KafkaException if Kafka refuses the configuration
     */
    public FeedbackProducer(FeedbackProducerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.producer = new KafkaProducer<>(properties(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> properties(FeedbackProducerConfig config) {
        Map<String, Object> p = new HashMap<>();
        // Defaults tuned for bulk ingestion; the caller's producerProperties may override them.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(config.producerProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    /**
     * Sends a valid event to the feedback topic, keyed by its comparison id.
     *
     * @throws SendFailedException if this or an earlier send failed
     * @throws IllegalStateException if the producer is closed
     */
    @Override
    public void send(FeedbackEvent event) {
        Objects.requireNonNull(event, "event");
        checkUsable();
        byte[] key = event.getComparisonId().getBytes(StandardCharsets.UTF_8);
        send(new ProducerRecord<>(config.feedbackTopic(), key, eventCodec.encode(event)), eventCallback,
                "event " + event.getEventId());
    }

    /**
     * Sends a dead letter to the dead-letter topic.
     *
     * @throws SendFailedException if this or an earlier send failed
     * @throws IllegalStateException if the producer is closed
     */
    @Override
    public void sendDeadLetter(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        checkUsable();
        byte[] value = deadLetterCodec.encode(deadLetter);
        send(new ProducerRecord<>(config.deadLetterTopic(), null, value), deadLetterCallback,
                "dead letter of " + deadLetter.getSourceFile() + ":" + deadLetter.getSourceLine());
    }

    private void send(ProducerRecord<byte[], byte[]> record, Callback callback, String what) {
        try {
            producer.send(record, callback);
        } catch (KafkaException e) {
            throw new SendFailedException("cannot send " + what + " to topic " + record.topic() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Blocks until every record sent so far is acknowledged or failed.
     *
     * @throws SendFailedException if any send failed
     */
    @Override
    public void flush() {
        checkUsable();
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw new SendFailedException("flushing the producer failed: " + e.getMessage(), e);
        }
        checkUsable();
    }

    /** Events acknowledged by Kafka so far. */
    public long eventsDelivered() {
        return eventsDelivered.get();
    }

    /** Dead letters acknowledged by Kafka so far. */
    public long deadLettersDelivered() {
        return deadLettersDelivered.get();
    }

    /** Closes with the configured {@link FeedbackProducerConfig#closeTimeout()}. */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    /**
     * Waits up to {@code timeout} for records in flight, then releases the producer. Records still undelivered
     * after it fail. Idempotent.
     *
     * @throws SendFailedException if a send failed and no earlier call has thrown that failure yet
     */
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException closeError = null;
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            closeError = e;
        }
        Exception failure = asyncFailure.get();
        if (failure != null && !failureThrown) {
            failureThrown = true;
            SendFailedException e = new SendFailedException("a send to Kafka failed: " + failure.getMessage(), failure);
            if (closeError != null) {
                e.addSuppressed(closeError);
            }
            throw e;
        }
        if (closeError != null) {
            throw new SendFailedException("closing the producer failed: " + closeError.getMessage(), closeError);
        }
    }

    private void completed(Exception e, AtomicLong delivered) {
        if (e == null) {
            delivered.incrementAndGet();
        } else if (asyncFailure.compareAndSet(null, e)) {
            LOG.error("Sending to Kafka failed; the next send, flush or close will throw", e);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        Exception failure = asyncFailure.get();
        if (failure != null) {
            failureThrown = true;
            throw new SendFailedException("an earlier send to Kafka failed: " + failure.getMessage(), failure);
        }
    }
}
