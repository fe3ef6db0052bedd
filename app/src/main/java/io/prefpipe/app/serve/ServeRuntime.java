package io.prefpipe.app.serve;

import io.prefpipe.app.http.PrefpipeServer;
import io.prefpipe.app.http.ServeRoutes;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Everything {@code prefpipe serve} runs: the Kafka publisher and the HTTP server with its route groups (bearer-token
 * authentication of {@code /v1/*}, then the feedback endpoint, then the caller's pages, e.g. the dashboard). Closing
 * stops the server first, so no request is left without its publisher, then the publisher.
 */
public final class ServeRuntime implements AutoCloseable {
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private final IngressCounts counts;
    private final FeedbackPublisher publisher;
    private final PrefpipeServer server;

    private ServeRuntime(IngressCounts counts, FeedbackPublisher publisher, PrefpipeServer server) {
        this.counts = counts;
        this.publisher = publisher;
        this.server = server;
    }

    /**
     * Checks that the feedback topic exists, then starts the publisher and the server.
     *
     * @throws IllegalStateException if the topic does not exist or Kafka cannot be reached
     * @throws IllegalArgumentException if the token is too short
     */
    public static ServeRuntime start(ServeConfig config) {
        return start(config, List.of());
    }

    /**
     * As {@link #start(ServeConfig)}, also serving {@code pages} (read-only routes outside {@code /v1/}, which need no
     * token).
     */
    public static ServeRuntime start(ServeConfig config, List<ServeRoutes> pages) {
        requireTopic(config);
        IngressCounts counts = new IngressCounts();
        BearerTokenAuth auth = new BearerTokenAuth("/v1/*", config.token(), counts);
        FeedbackPublisher publisher = new KafkaFeedbackPublisher(config.bootstrapServers(), config.feedbackTopic(),
                config.ackTimeout());
        try {
            FeedbackRoutes feedback = new FeedbackRoutes(config.maxBodyBytes(),
                    new FeedbackValidator(config.validationLimits(), Clock.systemUTC()), publisher, counts);
            List<ServeRoutes> routes = new ArrayList<>(List.of(auth, feedback));
            routes.addAll(pages);
            PrefpipeServer server = PrefpipeServer.start(config.host(), config.port(), routes);
            return new ServeRuntime(counts, publisher, server);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** The server's base address. */
    public URI uri() {
        return server.uri();
    }

    /** Requests and events so far. */
    public IngressCounts counts() {
        return counts;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            publisher.close();
        }
    }

    private static void requireTopic(ServeConfig config) {
        String topic = config.feedbackTopic();
        int timeoutMs = (int) LOOKUP_TIMEOUT.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
            admin.describeTopics(List.of(topic)).allTopicNames().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up topic " + topic, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("topic '" + topic + "' does not exist on " + config.bootstrapServers()
                        + "; create it first (prefpipe broker does)", e);
            }
            throw new IllegalStateException("cannot look up topic '" + topic + "' on " + config.bootstrapServers()
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
