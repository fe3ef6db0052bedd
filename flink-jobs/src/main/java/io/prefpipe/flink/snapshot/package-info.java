/** What a finished snapshot folder holds: the committed Parquet files, described for its manifest. */
package io.prefpipe.flink.snapshot;
