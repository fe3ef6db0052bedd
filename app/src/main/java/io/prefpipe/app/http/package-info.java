/**
 * The HTTP server prefpipe's commands share: {@link io.prefpipe.app.http.PrefpipeServer} (Javalin on Jetty) serving
 * route groups ({@link io.prefpipe.app.http.ServeRoutes}) such as the feedback endpoint and the dashboard.
 */
package io.prefpipe.app.http;
