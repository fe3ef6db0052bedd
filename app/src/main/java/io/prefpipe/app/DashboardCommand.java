package io.prefpipe.app;

import io.prefpipe.app.dashboard.DashboardOptions;
import io.prefpipe.app.dashboard.LiveDashboard;
import io.prefpipe.app.monitor.MonitorConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves the data-quality dashboard of a running pipeline until stopped. */
@Command(
        name = "dashboard",
        header = "Serves the data-quality dashboard and Prometheus metrics.",
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

    @Mixin DashboardOptions watched;

    @Override
    public Integer call() throws Exception {
        MonitorConfig config = watched.toConfig(kafka.bootstrap);
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
