/**
 * The curation job: feedback events from Kafka, decoded and validated, deduplicated, grouped by comparison, curated
 * by the labeling module, and written as preference pairs to a Parquet snapshot and to the {@code pairs} topic.
 *
 * <p>Entry point: {@link io.prefpipe.flink.curate.CurationJob}. The operators here are thin: every decision about an
 * event is made by {@code ingestion}'s validator or {@code labeling}'s curator.
 */
package io.prefpipe.flink.curate;
