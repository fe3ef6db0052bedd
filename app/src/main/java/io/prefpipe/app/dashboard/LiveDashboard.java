package io.prefpipe.app.dashboard;

import io.prefpipe.app.monitor.MonitorConfig;
import io.prefpipe.app.monitor.PipelineMonitor;

/**
 * A {@link PipelineMonitor} and the {@link DashboardServer} that shows it, started and closed together: what the demo
 * and {@code prefpipe dashboard} run.
 */
public final class LiveDashboard implements AutoCloseable {
    private final PipelineMonitor monitor;
    private final DashboardServer server;

    private LiveDashboard(PipelineMonitor monitor, DashboardServer server) {
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
            return new LiveDashboard(monitor, DashboardServer.start(monitor, port));
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
        return server.url();
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
