package io.prefpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Consumers and producers of {@link FeedbackEvent} can be upgraded independently when a field is added. */
class SchemaEvolutionTest {

    /** The current schema with one more optional field, as a later version of prefpipe might ship it. */
    private static Schema evolvedSchema() {
        String json = FeedbackEvent.getClassSchema().toString();
        String added = "{\"name\":\"locale\",\"type\":[\"null\",\"string\"],\"default\":null}";
        json = json.replaceFirst("\"fields\":\\[", "\"fields\":[" + added + ",");
        return new Schema.Parser().parse(json);
    }

    static FeedbackEvent sampleEvent() {
        return FeedbackEvent.newBuilder()
                .setEventId("e-1")
                .setComparisonId("c-1")
                .setPrompt("How do I reset my password?")
                .setResponses(List.of(
                        Response.newBuilder().setId("r1").setText("Open Settings").setPolicyVersion("v3").build(),
                        Response.newBuilder().setId("r2").setText("No.").build()))
                .setJudgement(PairwiseChoice.newBuilder().setPreferred("r1").setStrength(0.8).build())
                .setShownOrder(List.of("r2", "r1"))
                .setAnnotator(Annotator.newBuilder().setId("ann-7").setKind(AnnotatorKind.HUMAN).build())
                .setEventTime(Instant.parse("2026-11-28T10:00:00Z"))
                .setMetadata(Map.of("source", "test"))
                .build();
    }

    private static byte[] encode(FeedbackEvent e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(FeedbackEvent.class).write(e, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void newReader_readsOldData_withTheAddedFieldsDefault() throws Exception {
        byte[] old = encode(sampleEvent());
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(FeedbackEvent.getClassSchema(), evolvedSchema());
        GenericRecord read = reader.read(null, DecoderFactory.get().binaryDecoder(old, null));
        assertThat(read.get("locale")).isNull();
        assertThat(read.get("event_id").toString()).isEqualTo("e-1");
        assertThat(read.get("prompt").toString()).isEqualTo("How do I reset my password?");
    }

    @Test
    void oldReader_readsNewData_ignoringTheAddedField() throws Exception {
        Schema evolved = evolvedSchema();
        GenericData.Record generic = new GenericData.Record(evolved);
        FeedbackEvent original = sampleEvent();
        // copy the event into the evolved schema field by field, then set the new field
        GenericRecord asGeneric = new GenericDatumReader<GenericRecord>(FeedbackEvent.getClassSchema(), evolved)
                .read(null, DecoderFactory.get().binaryDecoder(encode(original), null));
        for (Schema.Field f : evolved.getFields()) {
            generic.put(f.name(), asGeneric.get(f.name()));
        }
        generic.put("locale", "de-CH");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(evolved).write(generic, enc);
        enc.flush();

        SpecificDatumReader<FeedbackEvent> oldReader = new SpecificDatumReader<>(evolved, FeedbackEvent.getClassSchema());
        FeedbackEvent read = oldReader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read).isEqualTo(original);
    }
}
