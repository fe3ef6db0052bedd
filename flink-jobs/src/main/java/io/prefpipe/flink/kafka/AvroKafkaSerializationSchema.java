package io.prefpipe.flink.kafka;

import io.prefpipe.ingestion.kafka.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes generated Avro records to one topic in prefpipe's wire format: plain Avro binary values (see
 * {@link AvroCodec}), keys as UTF-8 strings.
 *
 * @param <T> the generated record class
 */
public final class AvroKafkaSerializationSchema<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private transient AvroCodec<T> codec;

    /**
     * @param topic the topic every record goes to
     * @param type the record class
     * @param key the message key of a record, or a function returning {@code null} for unkeyed messages
     */
    public AvroKafkaSerializationSchema(String topic, Class<T> type, SerializableFunction<T, String> key) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.type = Objects.requireNonNull(type, "type");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = new AvroCodec<>(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        byte[] keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
        // No record timestamp: the producer stamps the write time. The element's event time can be months old, and a
        // topic with time-based retention would delete such messages at once.
        return new ProducerRecord<>(topic, null, null, keyBytes, codec.encode(element));
    }
}
