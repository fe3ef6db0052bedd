package io.prefpipe.app.http;

import io.javalin.Javalin;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server of {@code prefpipe serve}: Javalin on Jetty, with the given route groups and nothing else. Started
 * by {@link #start}; {@link #close()} stops it and waits for requests in progress.
 *
 * <pre>{@code
 * try (PrefpipeServer server = PrefpipeServer.start("127.0.0.1", 0, List.of(auth, feedback))) {
 *     URI base = server.uri();
 * }
 * }</pre>
 */
public final class PrefpipeServer implements AutoCloseable {
    private final Javalin app;
    private final String host;
    private boolean closed;

    private PrefpipeServer(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    /**
     * Binds to {@code host:port} (port 0 picks a free one) and serves the routes, registered in order (so a group
     * that adds before-handlers, such as authentication, goes first).
     *
     * @throws io.javalin.util.JavalinBindException if the address cannot be bound
     */
    public static PrefpipeServer start(String host, int port, List<ServeRoutes> routes) {
        Objects.requireNonNull(host, "host");
        List<ServeRoutes> groups = List.copyOf(routes);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        Javalin app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            groups.forEach(g -> g.register(config.routes));
        });
        app.start();
        return new PrefpipeServer(app, host);
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** The base address, e.g. {@code http://127.0.0.1:8088}. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port());
    }

    /** Stops the server; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            app.stop();
        }
    }
}
