package io.prefpipe.flink.curate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends messages from a thread of its own with an idempotent producer (acks=all, retries until a 2-minute delivery
 * timeout), a pause after each, so that a job reads them while they arrive and faults can strike mid-stream.
 */
final class PacedProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();

    PacedProducer(String bootstrap, String topic, List<byte[]> messages, Duration pause) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(() -> {
            for (byte[] m : messages) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                Future<RecordMetadata> f = producer.send(new ProducerRecord<>(topic, m), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    }
                });
                synchronized (sent) {
                    sent.add(f);
                }
                LockSupport.parkNanos(pause.toNanos());
            }
        }, "paced-producer");
        thread.start();
    }

    /** Messages the broker has acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until every message is sent and acknowledged; throws if one could not be delivered. */
    void awaitAll() throws Exception {
        thread.join(TimeUnit.MINUTES.toMillis(3));
        List<Future<RecordMetadata>> all;
        synchronized (sent) {
            all = List.copyOf(sent);
        }
        for (Future<RecordMetadata> f : all) {
            f.get(3, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
        producer.close(Duration.ofSeconds(10));
    }
}
