package io.prefpipe.app.dashboard;

import io.prefpipe.app.http.PrefpipeServer;
import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.app.monitor.PipelineMonitor;
import java.util.List;

/**
 * A {@link PipelineMonitor} and a {@link PrefpipeServer} on 127.0.0.1 that shows it ({@link DashboardRoutes}),
 * started and closed together: what the demo and {@code prefpipe dashboard} run.
 */
public final class LiveDashboard implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final PipelineMonitor monitor;
    private final PrefpipeServer server;

    private LiveDashboard(PipelineMonitor monitor, PrefpipeServer server) {
        this.monitor = monitor;
        this.server = server;
    }

    /**
     * Starts watching and serving.
     *
     * @param port the server's port on 127.0.0.1, or 0 for a free one
     */
    public static LiveDashboard start(MonitorConfig config, int port) {
        PipelineMonitor monitor = PipelineMonitor.start(config);
        try {
            return new LiveDashboard(monitor,
                    PrefpipeServer.start(HOST, port, List.of(new DashboardRoutes(monitor))));
        } catch (RuntimeException e) {
            monitor.close();
            throw e;
        }
    }

    public PipelineMonitor monitor() {
        return monitor;
    }

    /** The page's address. */
    public String url() {
        return server.uri() + DashboardRoutes.PAGE;
    }

    /** Stops the server, then the monitor; the monitor is closed even if stopping the server fails. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            monitor.close();
        }
    }
}
