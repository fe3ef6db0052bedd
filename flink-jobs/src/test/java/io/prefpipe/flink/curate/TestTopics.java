package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads Avro topics for the integration tests, over {@link KafkaTestTopics}. */
final class TestTopics {
    private TestTopics() {}

    /** The committed values of a topic, decoded as {@code type}. */
    static <T extends SpecificRecord> List<T> readCommitted(String bootstrap, String topic, Class<T> type)
            throws Exception {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(bootstrap, topic)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }
}
