/**
 * The data-quality dashboard: a page, its JSON state and Prometheus metrics, served by Javalin from a
 * {@link io.prefpipe.app.monitor.PipelineMonitor}.
 */
package io.prefpipe.app.dashboard;
