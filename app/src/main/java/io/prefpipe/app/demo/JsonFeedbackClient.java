package io.prefpipe.app.demo;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends feedback the way any Kafka client can: JSON strings to the JSON feedback topic, with a plain string producer
 * (idempotent, {@code acks=all}) that knows nothing of Avro or prefpipe's classes.
 */
final class JsonFeedbackClient implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    JsonFeedbackClient(String bootstrap, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new StringSerializer());
    }

    void send(String key, String json) {
        producer.send(new ProducerRecord<>(topic, key, json), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /**
     * Waits until everything sent is acknowledged.
     *
     * @throws IllegalStateException if any send failed
     */
    void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending JSON feedback to '" + topic + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
