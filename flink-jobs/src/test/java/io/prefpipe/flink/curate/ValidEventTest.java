package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.abc;
import static io.prefpipe.flink.curate.TestEvents.ranking;
import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.schema.FeedbackEvent;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ValidEventTest {

    private static ValidEvent encode(FeedbackEvent event) {
        return ValidEvent.of(event, new AvroCodec<>(FeedbackEvent.class).encode(event));
    }

    @Test
    void of_carriesIdsTimeFingerprintVotesAndTheEventAsAvro() throws Exception {
        FeedbackEvent event = ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0.plusMillis(7));

        ValidEvent valid = encode(event);

        assertThat(valid.eventId()).isEqualTo("e1");
        assertThat(valid.comparisonId()).isEqualTo("c9");
        assertThat(valid.eventTimeMillis()).isEqualTo(T0.toEpochMilli() + 7);
        assertThat(valid.fingerprint()).isEqualTo(ContentFingerprint.of(event));
        assertThat(valid.votes()).containsExactlyInAnyOrder(WindowVotes.of(event));
        assertThat(valid.votes()).hasSize(3);
        assertThat(new AvroCodec<>(FeedbackEvent.class).decode(valid.avro())).isEqualTo(event);
    }

    @Test
    void serializer_isTheHandWrittenOne_needsNoKryo_andRoundTrips() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<ValidEvent> serializer = TypeInformation.of(ValidEvent.class).createSerializer(noKryo);
        assertThat(serializer).isInstanceOf(ValidEventSerializer.class);
        ValidEvent valid = encode(ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0));

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(valid, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ValidEvent read = serializer.deserialize(in);

        assertThat(in.available()).isZero();
        assertThat(read).usingRecursiveComparison().isEqualTo(valid);
        assertThat(read.avro()).isEqualTo(valid.avro());
        assertThat(read.votes()).containsExactly(valid.votes());
    }

    @Test
    void serializerSnapshot_restoresTheSameSerializer() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, ValidEventSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<ValidEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(ValidEventSerializer.INSTANCE);
        assertThat(ValidEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read)
                .isCompatibleAsIs()).isTrue();
    }
}
