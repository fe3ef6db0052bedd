package io.prefpipe.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RawPayloadDeserializationSchemaTest {
    private final RawPayloadDeserializationSchema schema = new RawPayloadDeserializationSchema();

    private List<KafkaPayload> deserialize(ConsumerRecord<byte[], byte[]> record) {
        List<KafkaPayload> out = new ArrayList<>();
        schema.deserialize(record, new Collector<>() {
            @Override
            public void collect(KafkaPayload p) {
                out.add(p);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void deserialize_anyBytes_passesThemOnWithTheirPosition() {
        byte[] garbage = {(byte) 0xff, 0, 1};

        List<KafkaPayload> out = deserialize(new ConsumerRecord<>("feedback", 3, 42L, null, garbage));

        assertThat(out).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("feedback");
            assertThat(p.partition()).isEqualTo(3);
            assertThat(p.offset()).isEqualTo(42L);
            assertThat(p.value()).isEqualTo(garbage);
        });
    }

    @Test
    void deserialize_tombstone_becomesEmptyValue() {
        List<KafkaPayload> out = deserialize(new ConsumerRecord<>("feedback", 0, 7L, null, null));

        assertThat(out).singleElement().satisfies(p -> assertThat(p.value()).isEmpty());
    }

    @Test
    void producedType_isAPojoSerializerNotKryo() throws Exception {
        assertThat(schema.getProducedType()).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<KafkaPayload> serializer = schema.getProducedType().createSerializer(noKryo);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(new KafkaPayload("t", 1, 2L, new byte[] {9, 8}), out);
        KafkaPayload back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.topic()).isEqualTo("t");
        assertThat(back.offset()).isEqualTo(2L);
        assertThat(back.value()).containsExactly(9, 8);
    }
}
