package io.prefpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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

/** Pairs written before the noise-robust fields existed still read, and older readers still read new pairs. */
class PreferencePairEvolutionTest {
    private static final Set<String> ADDED = Set.of("voters", "model_version", "model_time", "model_votes");

    /** The schema as it was before the fields in {@link #ADDED}. */
    private static Schema previousSchema() {
        Schema current = PreferencePair.getClassSchema();
        List<Schema.Field> kept = current.getFields().stream()
                .filter(f -> !ADDED.contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, kept);
    }

    private static PreferencePair samplePair() {
        return PreferencePair.newBuilder()
                .setPairId("p-1")
                .setComparisonId("c-1")
                .setPrompt("How?")
                .setChosenId("r1")
                .setChosen("Like this.")
                .setRejectedId("r2")
                .setRejected("No.")
                .setPChosen(0.9)
                .setVoteCount(2)
                .setAgreement(1.0)
                .setAggregator("model-ds")
                .setSourceEventIds(List.of("e1", "e2"))
                .setLastEventTime(Instant.parse("2026-11-28T10:00:00Z"))
                .setVoters(List.of(new Voter("e1", "ann-1", 0.8), new Voter("e2", "ann-2", null)))
                .setModelVersion(3L)
                .setModelTime(Instant.parse("2026-11-28T10:00:05Z"))
                .setModelVotes(1200)
                .build();
    }

    @Test
    void newReader_readsPreviousData_withTheAddedFieldsDefaults() throws Exception {
        Schema previous = previousSchema();
        GenericData.Record old = new GenericData.Record(previous);
        old.put("pair_id", "p-0");
        old.put("comparison_id", "c-0");
        old.put("prompt", "Why?");
        old.put("chosen_id", "a");
        old.put("chosen", "A");
        old.put("rejected_id", "b");
        old.put("rejected", "B");
        old.put("p_chosen", 2.0 / 3);
        old.put("vote_count", 3);
        old.put("agreement", 2.0 / 3);
        old.put("aggregator", "mv");
        old.put("source_event_ids", List.of("e1", "e2", "e3"));
        old.put("last_event_time", 1_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(previous).write(old, enc);
        enc.flush();

        PreferencePair read = new SpecificDatumReader<PreferencePair>(previous, PreferencePair.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getPairId()).isEqualTo("p-0");
        assertThat(read.getVoters()).isEmpty();
        assertThat(read.getModelVersion()).isNull();
        assertThat(read.getModelTime()).isNull();
        assertThat(read.getModelVotes()).isNull();
    }

    @Test
    void previousReader_readsNewData_ignoringTheAddedFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(PreferencePair.class).write(samplePair(), enc);
        enc.flush();

        GenericRecord read = new GenericDatumReader<GenericRecord>(PreferencePair.getClassSchema(), previousSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getSchema().getField("voters")).isNull();
        assertThat(read.get("pair_id").toString()).isEqualTo("p-1");
        assertThat(read.get("aggregator").toString()).isEqualTo("model-ds");
    }
}
