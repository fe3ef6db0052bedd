/**
 * The Flink jobs of prefpipe. {@code curate} turns the {@code feedback} topic into curated preference pairs (a Parquet
 * snapshot plus the {@code pairs} topic); {@code kafka} and {@code parquet} hold the connectors' small adapters and
 * {@code snapshot} what a finished snapshot folder is made of.
 */
package io.prefpipe.flink;
