/**
 * Files on any Flink file system: local folders, and {@code s3://}, {@code hdfs://} or any other scheme a Flink file
 * system plugin serves. The snapshot's Parquet files, its manifest, the source plan and the checkpoint ledger are all
 * written and read through here, so that a job on a cluster can keep its snapshots in an object store.
 */
package io.prefpipe.flink.fs;
