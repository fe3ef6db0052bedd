package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.abc;
import static io.prefpipe.flink.curate.TestEvents.ranking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.validate.ContentFingerprint;
import io.prefpipe.schema.FeedbackEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ValidEventTest {

    private static final ValidEvent.Origin FROM_AVRO = new ValidEvent.Origin("feedback", 3, 1234567890123L, null);

    private static ValidEvent encode(FeedbackEvent event) {
        return ValidEvent.of(event, new AvroCodec<>(FeedbackEvent.class).encode(event), FROM_AVRO);
    }

    private static ValidEvent roundTrip(TypeSerializer<ValidEvent> serializer, ValidEvent event) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ValidEvent read = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return read;
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
        assertThat(valid.origin()).isSameAs(FROM_AVRO);
        assertThat(valid.receivedMessage()).isSameAs(valid.avro());
        assertThat(valid.withoutOrigin().origin()).isNull();
        assertThat(valid.withoutOrigin()).usingRecursiveComparison().ignoringFields("origin").isEqualTo(valid);
    }

    @Test
    void receivedMessage_ofAnEventThatCameAsJson_isTheJsonNotTheAvro() {
        FeedbackEvent event = ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0);
        byte[] json = "{\"event_id\": \"e1\"}".getBytes(StandardCharsets.UTF_8);

        ValidEvent valid = ValidEvent.of(event, new AvroCodec<>(FeedbackEvent.class).encode(event),
                new ValidEvent.Origin("feedback.json", 0, 5, json));

        assertThat(valid.receivedMessage()).isSameAs(json);
    }

    @Test
    void serializer_isTheHandWrittenOne_needsNoKryo_andRoundTrips() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<ValidEvent> serializer = TypeInformation.of(ValidEvent.class).createSerializer(noKryo);
        assertThat(serializer).isInstanceOf(ValidEventSerializer.class);
        ValidEvent valid = encode(ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0));

        ValidEvent read = roundTrip(serializer, valid);

        assertThat(read).usingRecursiveComparison().isEqualTo(valid);
        assertThat(read.avro()).isEqualTo(valid.avro());
        assertThat(read.votes()).containsExactly(valid.votes());
        assertThat(read.origin()).isEqualTo(FROM_AVRO);
    }

    @Test
    void serializer_roundTripsAJsonMessageAndNoOrigin() throws Exception {
        FeedbackEvent event = ranking("e1", "c9", "Rank", abc(), List.of("c", "a", "b"), T0);
        byte[] json = "{\"event_id\": \"e1\"}".getBytes(StandardCharsets.UTF_8);
        ValidEvent fromJson = ValidEvent.of(event, new AvroCodec<>(FeedbackEvent.class).encode(event),
                new ValidEvent.Origin("feedback.json", 1, 42, json));

        ValidEvent read = roundTrip(ValidEventSerializer.INSTANCE, fromJson);
        ValidEvent readWithout = roundTrip(ValidEventSerializer.INSTANCE, fromJson.withoutOrigin());

        assertThat(read.origin()).extracting(ValidEvent.Origin::topic, ValidEvent.Origin::partition,
                ValidEvent.Origin::offset).containsExactly("feedback.json", 1, 42L);
        assertThat(read.receivedMessage()).isEqualTo(json);
        assertThat(readWithout.origin()).isNull();
        assertThat(readWithout).usingRecursiveComparison().isEqualTo(fromJson.withoutOrigin());
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

    /**
     * The first format, without origin, was snapshotted as a {@code SimpleTypeSerializerSnapshot} (version 3, no
     * content) of the same class: restored, it reads that format and asks Flink to migrate the state to the current
     * one. {@code CurateComparisonsMigrationTest} restores real state of that format.
     */
    @Test
    void serializerSnapshot_ofTheFormatWithoutOrigin_readsItAndMigrates() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(ValidEventSerializer.Snapshot.class.getName());
        out.writeInt(3);
        TypeSerializerSnapshot<ValidEvent> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(old.restoreSerializer()).isSameAs(ValidEventSerializer.WithoutOrigin.INSTANCE);
        assertThat(ValidEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration()).isTrue();
    }

    @Test
    void serializerSnapshot_ofAnUnknownVersion_isRefused() {
        DataOutputSerializer out = new DataOutputSerializer(64);
        assertThatThrownBy(() -> {
            out.writeUTF(ValidEventSerializer.Snapshot.class.getName());
            out.writeInt(5);
            TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                    getClass().getClassLoader());
        }).hasMessageContaining("unknown version 5");
    }
}
