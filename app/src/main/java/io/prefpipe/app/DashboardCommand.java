package io.prefpipe.app;

import io.prefpipe.app.dashboard.LiveDashboard;
import io.prefpipe.app.monitor.MonitorConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves the data-quality dashboard of a running pipeline until stopped. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the data-quality dashboard and Prometheus /metrics on 127.0.0.1 for a pipeline running on a Kafka",
            "cluster: it reads prefpipe's topics (feedback, dead letters, pairs, annotators, checkpoints), the curation",
            "group's lag and the snapshot manifests under --snapshots. Runs until Ctrl-C."
        })
final class DashboardCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--port", defaultValue = "8088", description = "Port on 127.0.0.1; 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name, e.g. the demo's run id and a dot when it ran on --bootstrap (default: none).")
    String prefix;

    @Option(names = "--group-id", defaultValue = "prefpipe-curate", description = "The curation job's consumer group, for the lag (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--snapshots", defaultValue = "prefpipe-out/snapshots", description = "Folder of snapshot folders whose manifests give filter counts and ε̂ (default: ${DEFAULT-VALUE}).")
    Path snapshots;

    @Override
    public Integer call() throws Exception {
        MonitorConfig config = MonitorConfig.builder(kafka.bootstrap)
                .setFeedbackTopic(prefix + "feedback")
                .setFeedbackJsonTopic(prefix + "feedback.json")
                .setDeadLetterTopic(prefix + "feedback.dlq")
                .setPairsTopic(prefix + "pairs")
                .setAnnotatorsTopic(prefix + "annotators")
                .setCheckpointsTopic(prefix + MonitorConfig.CHECKPOINTS_TOPIC)
                .setCurationGroupId(groupId)
                .setSnapshotsDir(snapshots)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        try (LiveDashboard dashboard = LiveDashboard.start(config, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                dashboard.close();
                stopped.countDown();
            }, "prefpipe-dashboard-shutdown"));
            System.out.println("prefpipe dashboard at " + dashboard.url() + ", Prometheus metrics at /metrics");
            System.out.println("Press Ctrl-C to stop.");
            System.out.flush();
            stopped.await();
        }
        return 0;
    }
}
