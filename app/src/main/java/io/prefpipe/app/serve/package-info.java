/**
 * {@code prefpipe serve}: the HTTP entry point for feedback. A {@link io.prefpipe.app.serve.PrefpipeServer} (Javalin)
 * serves route groups ({@link io.prefpipe.app.serve.ServeRoutes}): bearer-token authentication and
 * {@code POST /v1/feedback}, which validates events with the same rules as the curation job and writes them to Kafka,
 * answering only once Kafka has acknowledged them. {@link io.prefpipe.app.serve.ServeRuntime} wires them together.
 */
package io.prefpipe.app.serve;
