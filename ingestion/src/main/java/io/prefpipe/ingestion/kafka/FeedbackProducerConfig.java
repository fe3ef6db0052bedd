package io.prefpipe.ingestion.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Configuration of a {@link FeedbackProducer}. Build with {@link #builder()}; only {@code bootstrapServers} is
 * required.
 *
 * @param bootstrapServers Kafka's bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param feedbackTopic the topic of valid events (default {@value Topics#FEEDBACK})
 * @param deadLetterTopic the topic of dead letters (default {@value Topics#FEEDBACK_DEAD_LETTERS})
 * @param closeTimeout how long {@code close()} waits for records still in flight (default 30 s)
 * @param producerProperties further Kafka producer settings, e.g. {@code linger.ms}, {@code compression.type} or
 *     security settings. The settings that make the producer what it is (bootstrap.servers, key.serializer,
 *     value.serializer, acks, enable.idempotence, transactional.id) are refused rather than silently overridden, and
 *     so are keys Kafka does not know.
 */
public record FeedbackProducerConfig(String bootstrapServers, String feedbackTopic, String deadLetterTopic,
        Duration closeTimeout, Map<String, String> producerProperties) {
    private static final Set<String> MANAGED_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    public FeedbackProducerConfig {
        requireName(bootstrapServers, "bootstrapServers");
        requireName(feedbackTopic, "feedbackTopic");
        requireName(deadLetterTopic, "deadLetterTopic");
        requireTimeout(closeTimeout);
        producerProperties = Map.copyOf(producerProperties);
        producerProperties.forEach(FeedbackProducerConfig::requireSettable);
        if (feedbackTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("feedbackTopic and deadLetterTopic must differ, both are '"
                    + feedbackTopic + "'");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requireName(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    private static void requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "closeTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
        }
    }

    private static void requireSettable(String key, String value) {
        Objects.requireNonNull(value, "value of producer property " + key);
        if (MANAGED_KEYS.contains(key)) {
            throw new IllegalArgumentException("producer property '" + key + "' is set by FeedbackProducer itself; "
                    + new TreeSet<>(MANAGED_KEYS) + " are not configurable");
        }
        if (!ProducerConfig.configNames().contains(key)) {
            throw new IllegalArgumentException("'" + key + "' is not a Kafka producer property");
        }
    }

    /** Builds a {@link FeedbackProducerConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private String bootstrapServers;
        private String feedbackTopic = Topics.FEEDBACK;
        private String deadLetterTopic = Topics.FEEDBACK_DEAD_LETTERS;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private final Map<String, String> producerProperties = new LinkedHashMap<>();

        private Builder() {}

        /** Required. */
        public Builder setBootstrapServers(String bootstrapServers) {
            requireName(bootstrapServers, "bootstrapServers");
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder setFeedbackTopic(String topic) {
            requireName(topic, "feedbackTopic");
            this.feedbackTopic = topic;
            return this;
        }

        public Builder setDeadLetterTopic(String topic) {
            requireName(topic, "deadLetterTopic");
            this.deadLetterTopic = topic;
            return this;
        }

        public Builder setCloseTimeout(Duration timeout) {
            requireTimeout(timeout);
            this.closeTimeout = timeout;
            return this;
        }

        /** Sets one Kafka producer property; see {@link FeedbackProducerConfig#producerProperties()}. */
        public Builder setProducerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            requireSettable(key, value);
            producerProperties.put(key, value);
            return this;
        }

        /** @throws IllegalStateException if {@code bootstrapServers} was not set */
        public FeedbackProducerConfig build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            return new FeedbackProducerConfig(bootstrapServers, feedbackTopic, deadLetterTopic, closeTimeout,
                    producerProperties);
        }
    }
}
