/**
 * Watches a running pipeline through prefpipe's own topics and manifests, and exposes what it sees as immutable
 * snapshots and as Prometheus metrics.
 */
package io.prefpipe.app.monitor;
