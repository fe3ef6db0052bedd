/** A real single-node Kafka broker in KRaft mode, run in process from Kafka's own artifacts. */
package io.prefpipe.kafka.embedded;
