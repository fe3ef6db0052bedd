/**
 * Kafka adapters of the Flink jobs: raw-bytes deserialization (so a bad message is a dead letter, never a job failure),
 * plain Avro binary serialization for the sinks, and the offset planning of bounded runs.
 */
package io.prefpipe.flink.kafka;
