/** Training data: preference examples and the reader of curated snapshots (a manifest plus Parquet files). */
package io.prefpipe.optimizer.data;
