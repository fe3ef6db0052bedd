package io.prefpipe.app.serve;

import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.validate.ValidationLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code prefpipe serve} needs. Build with {@link #builder()}; {@code bootstrapServers} and {@code token}
 * are required.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param feedbackTopic the Avro feedback topic accepted events go to (default {@value Topics#FEEDBACK})
 * @param host the address to bind (default {@value #DEFAULT_HOST}: loopback only)
 * @param port the port; 0 picks a free one (default {@value #DEFAULT_PORT})
 * @param token the bearer token clients must send, at least {@value BearerTokenAuth#MIN_TOKEN_CHARS} chars
 * @param maxBodyBytes the largest request body (default 4 MiB)
 * @param ackTimeout how long a request waits for Kafka's acknowledgements before it is answered 503 (default 10 s)
 * @param validationLimits the field size limits and rules every event must pass (default
 *     {@link ValidationLimits#DEFAULTS}, the same as the curation job's)
 */
public record ServeConfig(String bootstrapServers, String feedbackTopic, String host, int port, String token,
        int maxBodyBytes, Duration ackTimeout, ValidationLimits validationLimits) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8088;
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

    public ServeConfig {
        requireText("bootstrapServers", bootstrapServers);
        requireText("feedbackTopic", feedbackTopic);
        requireText("host", host);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        Objects.requireNonNull(token, "token is required");
        if (maxBodyBytes < 1 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be in [1, " + (Integer.MAX_VALUE - 1) + "], got "
                    + maxBodyBytes);
        }
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (ackTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("ackTimeout must be at least 1 ms, got " + ackTimeout);
        }
        Objects.requireNonNull(validationLimits, "validationLimits");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
    }

    /** Hides the token. */
    @Override
    public String toString() {
        return "ServeConfig[bootstrapServers=" + bootstrapServers + ", feedbackTopic=" + feedbackTopic + ", host="
                + host + ", port=" + port + ", token=(" + token.length() + " chars), maxBodyBytes=" + maxBodyBytes
                + ", ackTimeout=" + ackTimeout + ", validationLimits=" + validationLimits + "]";
    }

    /** Builds a {@link ServeConfig}; fields are checked by {@link #build()}. */
    public static final class Builder {
        private String bootstrapServers;
        private String feedbackTopic = Topics.FEEDBACK;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String token;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private ValidationLimits validationLimits = ValidationLimits.DEFAULTS;

        private Builder() {}

        /** Required. */
        public Builder setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder setFeedbackTopic(String feedbackTopic) {
            this.feedbackTopic = feedbackTopic;
            return this;
        }

        public Builder setHost(String host) {
            this.host = host;
            return this;
        }

        public Builder setPort(int port) {
            this.port = port;
            return this;
        }

        /** Required. */
        public Builder setToken(String token) {
            this.token = token;
            return this;
        }

        public Builder setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder setAckTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder setValidationLimits(ValidationLimits validationLimits) {
            this.validationLimits = validationLimits;
            return this;
        }

        /** @throws IllegalArgumentException naming the field, if one is missing or invalid */
        public ServeConfig build() {
            return new ServeConfig(bootstrapServers, feedbackTopic, host, port, token, maxBodyBytes, ackTimeout,
                    validationLimits);
        }
    }
}
