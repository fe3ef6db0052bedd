package io.prefpipe.flink.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes every Kafka message on as a {@link KafkaPayload} without looking inside it. Decoding happens in an operator
 * that can route failures to the dead-letter topic; a deserializer that threw would fail the whole job instead.
 */
public final class RawPayloadDeserializationSchema implements KafkaRecordDeserializationSchema<KafkaPayload> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaPayload> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        out.collect(new KafkaPayload(record.topic(), record.partition(), record.offset(), value));
    }

    @Override
    public TypeInformation<KafkaPayload> getProducedType() {
        return TypeInformation.of(KafkaPayload.class);
    }
}
