package io.prefpipe.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.PreferencePair;
import java.nio.charset.StandardCharsets;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroKafkaSerializationSchemaTest {

    @Test
    void serialize_writesPlainAvroBinaryKeyedAndWithoutTimestamp() throws Exception {
        AvroKafkaSerializationSchema<PreferencePair> schema = InstantiationUtil.clone(
                new AvroKafkaSerializationSchema<>("pairs", PreferencePair.class, PreferencePair::getPairId));
        schema.open(null, null);
        PreferencePair pair = TestPairs.pair(1);

        ProducerRecord<byte[], byte[]> record = schema.serialize(pair, null, 1234L);

        assertThat(record.topic()).isEqualTo("pairs");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("pair-1");
        assertThat(record.timestamp()).isNull();
        assertThat(new AvroCodec<>(PreferencePair.class).decode(record.value())).isEqualTo(pair);
    }

    @Test
    void serialize_nullKey_writesUnkeyedMessage() {
        AvroKafkaSerializationSchema<PreferencePair> schema =
                new AvroKafkaSerializationSchema<>("pairs", PreferencePair.class, p -> null);
        schema.open(null, null);

        assertThat(schema.serialize(TestPairs.pair(1), null, null).key()).isNull();
    }
}
