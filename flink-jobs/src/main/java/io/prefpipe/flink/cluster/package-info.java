/**
 * The curation job on a Flink cluster: the job jar's entry point ({@link io.prefpipe.flink.cluster.CurationJobMain}),
 * run by {@code flink run}, a session cluster's REST API or the Flink Kubernetes operator, and its command line and
 * configuration file.
 */
package io.prefpipe.flink.cluster;
