package io.prefpipe.flink.kafka;

import java.util.Objects;

/**
 * One Kafka message exactly as read, before any decoding, with where it came from. A tombstone (null value) arrives as
 * an empty {@code value}: Flink's byte-array serializer does not take nulls, and an empty payload fails decoding the
 * same way.
 *
 * <p>A record, so Flink serializes it with its POJO serializer and never with Kryo.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset offset within the partition
 * @param value the message value; never null
 */
public record KafkaPayload(String topic, int partition, long offset, byte[] value) {
    public KafkaPayload {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
    }
}
