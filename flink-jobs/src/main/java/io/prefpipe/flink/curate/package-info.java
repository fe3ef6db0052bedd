/**
 * The curation job: feedback events from Kafka, decoded and validated, deduplicated, grouped by comparison, curated
 * by the labeling module, and written as preference pairs to a Parquet snapshot and to the {@code pairs} topic. Beside
 * them, one estimator refits an annotator model (truth inference from {@code labeling}) over a window of recent votes,
 * broadcasts it to curation, and writes its per-annotator estimates to the {@code annotators} topic.
 *
 * <p>Entry point: {@link io.prefpipe.flink.curate.CurationJob}. The operators here are thin: every decision about an
 * event is made by {@code ingestion}'s validator or {@code labeling}'s curator and aggregators.
 */
package io.prefpipe.flink.curate;
