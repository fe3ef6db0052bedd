/**
 * Label aggregation and pair curation as plain Java: no Flink, Kafka or Avro types, so the same code runs in a unit
 * test, the batch CLI and the streaming job.
 */
package io.prefpipe.labeling;
