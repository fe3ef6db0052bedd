package io.prefpipe.app.serve;

import io.prefpipe.app.dashboard.DashboardOptions;
import io.prefpipe.app.dashboard.DashboardRoutes;
import io.prefpipe.app.monitor.PipelineMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves {@code POST /v1/feedback} until interrupted. */
@Command(
        name = "serve",
        header = "Accepts feedback over HTTP (POST /v1/feedback).",
        mixinStandardHelpOptions = true,
        description = {
            "Serves POST /v1/feedback: one feedback event in prefpipe's JSON form, or an array of them, for annotation",
            "tools and web apps. Requests need 'Authorization: Bearer <token>'. A request is accepted (202) only when",
            "every event in it is valid and Kafka has acknowledged every one; otherwise nothing is written: 400 lists",
            "each invalid event's index, field and reason, 413 a body over --max-body-bytes, 503 events Kafka did",
            "not acknowledge within --ack-timeout-seconds. Binds to 127.0.0.1 unless --host says otherwise.",
            "The token comes from --token-file or $PREFPIPE_SERVE_TOKEN (never from the command line, where other",
            "users could read it); at least 16 chars. Also serves the data-quality dashboard at /dashboard and",
            "Prometheus metrics at /metrics (read-only, no token) unless --no-dashboard."
        })
public final class ServeCommand implements Callable<Integer> {
    static final String TOKEN_ENV = "PREFPIPE_SERVE_TOKEN";

    @Option(names = "--bootstrap", required = true, defaultValue = "${env:PREFPIPE_BOOTSTRAP}",
            description = "Kafka bootstrap servers HOST:PORT (default: $PREFPIPE_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "feedback",
            description = "Avro feedback topic accepted events go to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServeConfig.DEFAULT_PORT,
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--token-file", description = "File whose first line is the bearer token (default: $"
            + TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServeConfig.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--ack-timeout-seconds", defaultValue = "10",
            description = "How long a request waits for Kafka's acknowledgements before it is answered 503"
                    + " (default: ${DEFAULT-VALUE}).")
    long ackTimeoutSeconds;

    @Mixin
    DashboardOptions watched;

    @Option(names = "--no-dashboard", description = "Serve only the feedback endpoint, not the dashboard and /metrics.")
    boolean noDashboard;

    @Override
    public Integer call() throws Exception {
        ServeConfig config = ServeConfig.builder()
                .setBootstrapServers(bootstrap)
                .setFeedbackTopic(topic)
                .setHost(host)
                .setPort(port)
                .setToken(token())
                .setMaxBodyBytes(maxBodyBytes)
                .setAckTimeout(Duration.ofSeconds(ackTimeoutSeconds))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        long start = System.nanoTime();
        try (PipelineMonitor monitor = noDashboard ? null : PipelineMonitor.start(watched.toConfig(bootstrap));
                ServeRuntime runtime = ServeRuntime.start(config,
                        monitor == null ? List.of() : List.of(new DashboardRoutes(monitor)))) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                runtime.close();
                System.out.printf("stopped after %d s; requests %s; events %s%n",
                        (System.nanoTime() - start) / 1_000_000_000L, runtime.counts().requests(),
                        runtime.counts().events());
                System.out.flush();
                stopped.countDown();
            }, "prefpipe-serve-shutdown"));
            System.out.println("serving POST " + runtime.uri() + FeedbackRoutes.PATH + " -> topic '" + topic + "' on "
                    + bootstrap);
            if (monitor != null) {
                System.out.println("data-quality dashboard at " + runtime.uri() + DashboardRoutes.PAGE
                        + ", Prometheus metrics at " + runtime.uri() + DashboardRoutes.METRICS);
            }
            System.out.println("every request is logged; Ctrl-C stops and prints the counts");
            System.out.flush();
            stopped.await();
        }
        return 0;
    }

    /** The token from --token-file, else from the environment. */
    String token() throws IOException {
        if (tokenFile != null) {
            List<String> lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalArgumentException("--token-file " + tokenFile + " is empty; its first line must be "
                        + "the token");
            }
            return lines.get(0).trim();
        }
        String env = System.getenv(TOKEN_ENV);
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("a bearer token is required: --token-file FILE or $" + TOKEN_ENV);
        }
        return env.trim();
    }
}
