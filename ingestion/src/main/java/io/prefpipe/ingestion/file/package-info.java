/**
 * Ingesting a file: read it line by line (plain or gzip), parse each line with a format, validate, and send events
 * and dead letters to a {@link io.prefpipe.ingestion.kafka.FeedbackSink}, accounting for every line.
 */
package io.prefpipe.ingestion.file;
