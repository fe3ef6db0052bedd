package io.prefpipe.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker: Kafka's own server ({@code KafkaRaftServer}), one node that is both broker and KRaft
 * controller, listening on 127.0.0.1 only. Nothing is mocked.
 *
 * <p>Defaults suit a single node: replication factor 1 for the internal topics, no retention limit (so events with old
 * event times are never deleted under a test), and a transaction timeout ceiling that accepts Flink's exactly-once
 * sink. The broker port is free unless {@link Builder#setPort} fixes it; the controller port is always free.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> config;
    private final Path baseDirectory;
    private final int port;
    private Path dataDirectory;
    /** The server's full configuration, kept so that {@link #restart()} reuses its ports and log directory. */
    private KafkaConfig serverConfig;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private boolean started;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder b) {
        this.config = Map.copyOf(b.config);
        this.baseDirectory = b.baseDirectory;
        this.port = b.port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage (unless a kept base directory is formatted already, which keeps its cluster id) and starts
     * the broker, returning once it accepts clients.
     *
     * @throws IllegalStateException if it was started or closed before
     * @throws EmbeddedKafkaException if the broker fails to start; everything started so far is shut down
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (started || closed) {
            throw new IllegalStateException("broker was already started");
        }
        started = true;
        try {
            dataDirectory = baseDirectory != null
                    ? Files.createDirectories(baseDirectory)
                    : Files.createTempDirectory("prefpipe-kafka-");
            int brokerPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            // each probe releases its port, so the OS may hand out the broker's again: Kafka refuses two listeners on one
            while (controllerPort == brokerPort) {
                controllerPort = freePort();
            }
            Map<String, String> props = new LinkedHashMap<>(config);
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            String logDir = dataDirectory.resolve("log").toString();
            props.put("log.dirs", logDir);
            if (!Files.exists(Path.of(logDir, "meta.properties"))) {
                format(logDir);
            }
            serverConfig = new KafkaConfig(props);
            server = new KafkaRaftServer(serverConfig, Time.SYSTEM);
            server.startup();
            bootstrapServers = HOST + ":" + brokerPort;
            awaitReady();
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

    /**
     * Shuts the broker down and starts it again on the same ports and log directory, as an operator's rolling
     * restart does; clients see their connections drop and must reconnect. Returns once it accepts clients again.
     *
     * @throws IllegalStateException if the broker is not running
     * @throws EmbeddedKafkaException if it fails to come back; it is shut down then
     */
    public synchronized void restart() {
        if (server == null || closed) {
            throw new IllegalStateException("broker is not running");
        }
        try {
            server.shutdown();
            server.awaitShutdown();
            server = new KafkaRaftServer(serverConfig, Time.SYSTEM);
            server.startup();
            awaitReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new EmbeddedKafkaException("interrupted while restarting the embedded Kafka broker", e);
        } catch (Exception e) {
            closeQuietly();
            throw new EmbeddedKafkaException("failed to restart the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private static void format(String logDir) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(logDir)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private void awaitReady() throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (TimeoutException | ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new ExecutionException("broker not ready after " + READY_TIMEOUT.toSeconds() + " s", e);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /** Binds and releases a loopback port; the tiny window before the broker binds it is acceptable for a dev broker. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        }
    }

    /** The address clients connect to, e.g. {@code 127.0.0.1:41234}. */
    public synchronized String bootstrapServers() {
        if (bootstrapServers == null || closed) {
            throw new IllegalStateException("broker is not running");
        }
        return bootstrapServers;
    }

    /** Shuts the broker down and, unless a base directory was given, deletes its data. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("failed to stop the embedded Kafka broker", e);
        } finally {
            if (baseDirectory == null && dataDirectory != null) {
                deleteRecursively(dataDirectory);
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

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker's temporary data in " + dir, e);
        }
    }

    /** Configuration of an {@link EmbeddedKafkaBroker}; every setting is optional. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private Path baseDirectory;
        private int port;

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
            config.put("share.coordinator.state.topic.replication.factor", "1");
            config.put("share.coordinator.state.topic.min.isr", "1");
        }

        /** Keeps the broker's data in this directory across restarts instead of a temporary one. */
        public Builder setBaseDirectory(Path dir) {
            this.baseDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Listens on this port of 127.0.0.1 instead of a free one. */
        public Builder setPort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            this.port = port;
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
