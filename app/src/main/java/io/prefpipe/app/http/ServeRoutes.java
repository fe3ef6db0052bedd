package io.prefpipe.app.http;

import io.javalin.config.RoutesConfig;

/**
 * A group of HTTP routes of {@code prefpipe serve}, registered on the server before it starts. Each concern (the
 * feedback endpoint, its authentication, later a dashboard or a metrics page) is one implementation, so the server
 * itself knows none of them.
 */
@FunctionalInterface
public interface ServeRoutes {

    /** Adds this group's handlers. */
    void register(RoutesConfig routes);
}
