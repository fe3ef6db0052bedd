package io.prefpipe.kafka.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker, one combined broker and controller node in KRaft mode, on a free port, advertised to clients as
 * 127.0.0.1. Known limitation: {@code KafkaClusterTestKit} pre-binds its ports on the wildcard address, so the port is
 * reachable from other hosts unless a firewall says otherwise; run it only on development machines.
 *
 * <p>It is Kafka's own server code, started through {@code KafkaClusterTestKit}; nothing is mocked. Defaults suit a
 * single node: replication factor 1 for the internal topics, no retention limit (so events with old event times are
 * never deleted under a test), and a transaction timeout ceiling that accepts Flink's exactly-once sink.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private final Map<String, String> config;
    private final Path baseDirectory;
    private final boolean deleteOnClose;
    private KafkaClusterTestKit cluster;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder b) {
        this.config = Map.copyOf(b.config);
        this.baseDirectory = b.baseDirectory;
        this.deleteOnClose = b.baseDirectory == null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage and starts the broker, returning once it accepts clients.
     *
     * @throws IllegalStateException if it was started or closed before
     * @throws EmbeddedKafkaException if the broker fails to start; everything started so far is shut down
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (cluster != null || closed) {
            throw new IllegalStateException("broker was already started");
        }
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (baseDirectory != null) {
                Files.createDirectories(baseDirectory);
                nodes.setBaseDirectory(baseDirectory);
            }
            KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(nodes.build()).setDeleteOnClose(deleteOnClose);
            config.forEach(kit::setConfigProp);
            cluster = kit.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new EmbeddedKafkaException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            closeQuietly();
            throw new EmbeddedKafkaException("failed to start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** The address clients connect to, e.g. {@code 127.0.0.1:41234}. */
    public synchronized String bootstrapServers() {
        if (cluster == null || closed) {
            throw new IllegalStateException("broker is not running");
        }
        return cluster.bootstrapServers().replace("localhost", "127.0.0.1");
    }

    /** Shuts the broker down and, unless a base directory was given, deletes its data. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new EmbeddedKafkaException("failed to stop the embedded Kafka broker", e);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException suppressed) {
            // the start failure is the error the caller needs to see
        }
    }

    /** Configuration of an {@link EmbeddedKafkaBroker}; every setting is optional. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private Path baseDirectory;

        private Builder() {
            config.put("offsets.topic.replication.factor", "1");
            config.put("offsets.topic.num.partitions", "1");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("transaction.state.log.num.partitions", "1");
            config.put("transaction.max.timeout.ms", "3600000");
            config.put("group.initial.rebalance.delay.ms", "0");
            config.put("log.retention.ms", "-1");
            config.put("auto.create.topics.enable", "false");
            config.put("num.partitions", "1");
            // Clients are told 127.0.0.1. (The test kit pre-binds the port itself on the wildcard address, which
            // this setting cannot change; see the class comment.)
            config.put("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0");
        }

        /** Keeps the broker's data in this directory across restarts instead of a temporary one. */
        public Builder setBaseDirectory(Path dir) {
            this.baseDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Sets any broker configuration property, overriding the defaults. */
        public Builder setConfig(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value for " + key);
            config.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
