package io.prefpipe.app.dashboard;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.prefpipe.app.monitor.PipelineMonitor;

/**
 * A Javalin server on 127.0.0.1 with only the dashboard's routes, for the demo and {@code prefpipe dashboard}; {@code /}
 * leads to the page. Closing stops the server, not the monitor.
 */
public final class DashboardServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final Javalin app;

    private DashboardServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts serving {@code monitor}'s dashboard.
     *
     * @param port the port, or 0 for a free one
     */
    public static DashboardServer start(PipelineMonitor monitor, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        DashboardRoutes routes = new DashboardRoutes(monitor);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = HOST;
            config.jetty.port = port;
            config.routes.get("/", ctx -> ctx.redirect(DashboardRoutes.PAGE, HttpStatus.FOUND));
            routes.addTo(config);
        });
        app.start();
        return new DashboardServer(app);
    }

    public int port() {
        return app.port();
    }

    /** The page's address. */
    public String url() {
        return "http://" + HOST + ":" + port() + DashboardRoutes.PAGE;
    }

    @Override
    public void close() {
        app.stop();
    }
}
