/** Kafka plumbing of ingestion: topics, the Avro serde and the producer of events and dead letters. */
package io.prefpipe.ingestion.kafka;
