/**
 * What makes a {@code FeedbackEvent} valid, shared by every entry point (files, Kafka, the streaming job), and the
 * mapping of valid events onto the labeling module's types.
 */
package io.prefpipe.ingestion.validate;
