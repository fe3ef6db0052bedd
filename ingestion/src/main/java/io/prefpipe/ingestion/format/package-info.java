/**
 * Input formats: one parser per format turns a text line into either a {@code FeedbackEvent} or a
 * {@link io.prefpipe.ingestion.validate.Violation} naming the reason and the field. Parsers check syntax and types;
 * the rules every event must satisfy stay in {@link io.prefpipe.ingestion.validate.FeedbackValidator}.
 */
package io.prefpipe.ingestion.format;
