/** Parquet files of generated Avro records: the ZSTD writer the file sink uses and footer reads for the manifest. */
package io.prefpipe.flink.parquet;
