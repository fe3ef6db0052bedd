package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.TestEvents.T0;
import static io.prefpipe.flink.curate.TestEvents.ab;
import static io.prefpipe.flink.curate.TestEvents.abc;
import static io.prefpipe.flink.curate.TestEvents.choice;
import static io.prefpipe.flink.curate.TestEvents.ranking;
import static io.prefpipe.flink.curate.TestEvents.responses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.format.PrefpipeJsonWriter;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.labeling.curate.ComparisonCurator;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The curation job end to end: a real Kafka broker, a local Flink MiniCluster, real Parquet files. */
class CurationJobITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    /**
     * The scenario, one partition so the order (and so the watermark) is fixed; emitAfterVotes 4, window 10 min,
     * out-of-orderness 1 min. The first 22 events are one second apart from T0, in order.
     */
    private static List<byte[]> scenario() {
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        List<FeedbackEvent> events = new ArrayList<>();
        // c1: a, a, b -> a beats b, curated by the window when c9 moves the watermark; c1-e4 comes after: late
        events.add(choice("c1-e1", "c1", "Capital of France?", ab(), "a", T0));
        events.add(choice("c1-e2", "c1", "Capital of France?", ab(), "a", T0));
        events.add(choice("c1-e3", "c1", "Capital of France?", ab(), "b", T0));
        // c2: three rankings over a, b, c -> a>b 2:1, a>c 3:0, b>c 2:1
        events.add(ranking("c2-e1", "c2", "Rank these", abc(), List.of("a", "b", "c"), T0));
        events.add(ranking("c2-e2", "c2", "Rank these", abc(), List.of("a", "c", "b"), T0));
        events.add(ranking("c2-e3", "c2", "Rank these", abc(), List.of("b", "a", "c"), T0));
        // c3: a, b, tie -> undecided: 3 x tie
        events.add(choice("c3-e1", "c3", "Tie?", ab(), "a", T0));
        events.add(choice("c3-e2", "c3", "Tie?", ab(), "b", T0));
        events.add(choice("c3-e3", "c3", "Tie?", ab(), null, T0));
        // c4: both responses say the same: 2 x identical_responses
        var same = responses(Map.of("a", "Same answer.", "b", "Same answer. "));
        events.add(choice("c4-e1", "c4", "Identical?", same, "a", T0));
        events.add(choice("c4-e2", "c4", "Identical?", same, "b", T0));
        // c5: c5-e1 is delivered twice -> 1 duplicate; b beats a 2:0
        events.add(choice("c5-e1", "c5", "Dup?", ab(), "b", T0));
        events.add(choice("c5-e1", "c5", "Dup?", ab(), "b", T0));
        events.add(choice("c5-e2", "c5", "Dup?", ab(), "b", T0));
        // c6: the 4th vote triggers curation (a beats b 3:1); the 5th is late
        events.add(choice("c6-e1", "c6", "Count?", ab(), "a", T0));
        events.add(choice("c6-e2", "c6", "Count?", ab(), "a", T0));
        events.add(choice("c6-e3", "c6", "Count?", ab(), "b", T0));
        events.add(choice("c6-e4", "c6", "Count?", ab(), "a", T0));
        events.add(choice("c6-e5", "c6", "Count?", ab(), "b", T0));
        // c7: e2 names another prompt -> inconsistent_comparison; a beats b 2:0
        events.add(choice("c7-e1", "c7", "Consistent?", ab(), "a", T0));
        events.add(choice("c7-e2", "c7", "Something else", ab(), "a", T0));
        events.add(choice("c7-e3", "c7", "Consistent?", ab(), "a", T0));

        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            FeedbackEvent e = events.get(i);
            e.setEventTime(T0.plusSeconds(i));
            messages.add(codec.encode(e));
        }
        messages.add("definitely not avro".getBytes(StandardCharsets.UTF_8));
        byte[] whole = codec.encode(choice("c8-e1", "c8", "Truncated", ab(), "a", T0.plusSeconds(30)));
        messages.add(Arrays.copyOf(whole, whole.length / 2));
        messages.add(codec.encode(choice("c8-e2", "c8", "Unknown", ab(), "zzz", T0.plusSeconds(31))));
        // c9 at T0 + 20 min moves the watermark past every window above; one vote, curated at end of input
        messages.add(codec.encode(choice("c9-e1", "c9", "Last", ab(), "a", T0.plus(Duration.ofMinutes(20)))));
        messages.add(codec.encode(choice("c1-e4", "c1", "Capital of France?", ab(), "b",
                T0.plus(Duration.ofMinutes(21)))));
        return messages;
    }

    @Test
    void run_bounded_curatesEveryEventIntoParquetKafkaAndManifest() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String feedback = "feedback-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(feedback), 1, (short) 1);
        List<byte[]> messages = scenario();
        produce(feedback, messages);
        Path snapshotDir = tmp.resolve("snapshot-1");
        CurationJobConfig config = baseConfig(suffix, snapshotDir).build();

        List<String> progress = new ArrayList<>();
        CurationReport report = CurationJob.run(config, new CurationProgressListener() {
            @Override
            public void onStarted(String jobId, SourcePlan plan) {
                progress.add("started " + plan.offsetsCovered());
            }

            @Override
            public void onFinished(CurationReport r) {
                progress.add("finished " + r.pairs());
            }
        });

        // accounting: every event has exactly one fate
        assertThat(report.eventsIn()).isEqualTo(messages.size()).isEqualTo(27);
        assertThat(report.deadLettered()).containsExactlyInAnyOrderEntriesOf(
                Map.of("invalid_avro", 2L, "unknown_response", 1L));
        assertThat(report.filtered()).containsExactlyInAnyOrderEntriesOf(Map.of("tie", 3L, "identical_responses", 2L,
                "duplicate", 1L, "late", 2L, "inconsistent_comparison", 1L));
        assertThat(report.curatedEvents()).isEqualTo(15);
        assertThat(report.counts().reconciles()).isTrue();
        assertThat(report.pairs()).isEqualTo(8);
        assertThat(progress).containsExactly("started 27", "finished 8");

        // the committed Parquet files hold exactly the expected pairs
        List<PreferencePair> parquet = TestSnapshots.readPairs(snapshotDir);
        Object[][] expected = {
            {"c1", "a", "b", 3}, {"c2", "a", "b", 3}, {"c2", "a", "c", 3}, {"c2", "b", "c", 3},
            {"c5", "b", "a", 2}, {"c6", "a", "b", 4}, {"c7", "a", "b", 2}, {"c9", "a", "b", 1}};
        assertThat(parquet)
                .extracting(PreferencePair::getComparisonId, PreferencePair::getChosenId,
                        PreferencePair::getRejectedId, PreferencePair::getVoteCount)
                .containsExactlyInAnyOrder(Stream.of(expected).map(e -> tuple(e)).toArray(Tuple[]::new));
        assertThat(parquet).extracting(PreferencePair::getPairId).doesNotHaveDuplicates();
        PreferencePair c1 = parquet.stream().filter(p -> p.getComparisonId().equals("c1")).findFirst().orElseThrow();
        assertThat(c1.getPairId()).isEqualTo(ComparisonCurator.pairId("c1", "a", "b"));
        assertThat(c1.getSourceEventIds()).containsExactly("c1-e1", "c1-e2", "c1-e3");
        assertThat(c1.getAgreement()).isEqualTo(2.0 / 3);
        assertThat(c1.getPChosen()).isEqualTo(2.0 / 3);
        assertThat(c1.getAggregator()).isEqualTo("mv");
        assertThat(c1.getChosen()).isEqualTo("Paris is the capital.");
        assertThat(c1.getChosenPolicyVersion()).isEqualTo("policy-a");
        assertThat(c1.getLastEventTime()).isEqualTo(T0.plusSeconds(2));

        // the same pairs are on the pairs topic, committed
        AvroCodec<PreferencePair> pairCodec = new AvroCodec<>(PreferencePair.class);
        List<PreferencePair> onKafka = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(config.pairsTopic())) {
            onKafka.add(pairCodec.decode(r.value()));
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(onKafka.get(onKafka.size() - 1)
                    .getPairId());
        }
        assertThat(onKafka).containsExactlyInAnyOrderElementsOf(parquet);

        // dead letters carry reason, field, payload and source position
        AvroCodec<DeadLetter> dlqCodec = new AvroCodec<>(DeadLetter.class);
        List<DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(config.deadLetterTopic())) {
            dead.add(dlqCodec.decode(r.value()));
        }
        assertThat(dead)
                .extracting(DeadLetter::getReason, DeadLetter::getField, DeadLetter::getSourceOffset,
                        DeadLetter::getSourcePartition, DeadLetter::getSourceTopic, DeadLetter::getStage)
                .containsExactlyInAnyOrder(
                        // text read as Avro declares a 50-byte event_id; the event cut in half ends in a response
                        tuple("invalid_avro", "event_id", 22L, 0, feedback, "curate"),
                        tuple("invalid_avro", "responses[1].text", 23L, 0, feedback, "curate"),
                        tuple("unknown_response", "judgement.preferred", 24L, 0, feedback, "curate"));
        for (DeadLetter d : dead) {
            assertThat(bytes(d.getPayload())).isEqualTo(messages.get(d.getSourceOffset().intValue()));
            assertThat(d.getMessage()).isNotBlank();
        }

        // the manifest lists exactly the committed Parquet files, with their row counts
        SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
        assertThat(manifest).isEqualTo(report.manifest());
        List<String> parquetFiles;
        try (Stream<Path> list = Files.list(snapshotDir)) {
            parquetFiles = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SnapshotFiles.PARQUET_SUFFIX))
                    .sorted()
                    .toList();
        }
        assertThat(parquetFiles).isNotEmpty().allMatch(n -> !n.startsWith("."));
        assertThat(manifest.files()).extracting(SnapshotManifest.SnapshotFile::path)
                .containsExactlyElementsOf(parquetFiles);
        for (SnapshotManifest.SnapshotFile f : manifest.files()) {
            assertThat(TestPairs.read(snapshotDir.resolve(f.path()))).hasSize((int) f.rows());
            assertThat(f.bytes()).isEqualTo(Files.size(snapshotDir.resolve(f.path())));
        }
        assertThat(manifest.totalRows()).isEqualTo(8);
        assertThat(manifest.counts()).isEqualTo(report.counts());
        assertThat(manifest.counts().reconciles()).isTrue();
        assertThat(manifest.sources()).containsExactly(new OffsetRange(feedback, 0, 0, 27),
                new OffsetRange(config.feedbackJsonTopic(), 0, 0, 0));
        assertThat(report.eventsInByTopic()).containsExactlyInAnyOrderEntriesOf(
                Map.of(feedback, 27L, config.feedbackJsonTopic(), 0L));
        assertThat(manifest.snapshotId()).isEqualTo("snapshot-1");
        assertThat(manifest.aggregator()).isEqualTo("mv");

        // the run's end offsets are committed for the group
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition(feedback, 0)).offset()).isEqualTo(27);
        }
    }

    @Test
    void run_committedOffsets_secondRunReadsOnlyWhatIsNew() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String feedback = "feedback-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(feedback), 1, (short) 1);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        produce(feedback, List.of(
                codec.encode(choice("k1-e1", "k1", "First run", ab(), "a", T0)),
                codec.encode(choice("k1-e2", "k1", "First run", ab(), "a", T0.plusSeconds(1)))));
        CurationReport first = CurationJob.run(baseConfig(suffix, tmp.resolve("first"))
                .setStartingOffsets(StartingOffsets.COMMITTED).build(), CurationProgressListener.NONE);
        produce(feedback, List.of(
                codec.encode(choice("k2-e1", "k2", "Second run", ab(), "b", T0.plusSeconds(2))),
                codec.encode(choice("k2-e2", "k2", "Second run", ab(), "b", T0.plusSeconds(3)))));

        CurationReport second = CurationJob.run(baseConfig(suffix, tmp.resolve("second"))
                .setStartingOffsets(StartingOffsets.COMMITTED).build(), CurationProgressListener.NONE);

        String json = "feedback.json-" + suffix;
        assertThat(first.manifest().sources()).containsExactly(new OffsetRange(feedback, 0, 0, 2),
                new OffsetRange(json, 0, 0, 0));
        assertThat(second.manifest().sources()).containsExactly(new OffsetRange(feedback, 0, 2, 4),
                new OffsetRange(json, 0, 0, 0));
        assertThat(second.eventsIn()).isEqualTo(2);
        assertThat(TestSnapshots.readPairs(tmp.resolve("second")))
                .extracting(PreferencePair::getComparisonId, PreferencePair::getChosenId)
                .containsExactly(tuple("k2", "b"));
    }

    @Test
    void start_unbounded_curatesNewEventsUntilCancelled() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String feedback = "feedback-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(feedback), 2, (short) 1);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        produce(feedback, List.of(
                codec.encode(choice("u1-e1", "u1", "Before start", ab(), "a", T0)),
                codec.encode(choice("u1-e2", "u1", "Before start", ab(), "a", T0.plusSeconds(1)))));
        CurationJobConfig config = baseConfig(suffix, tmp.resolve("live")).setBounded(false).setEmitAfterVotes(2)
                .build();

        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE)) {
            produce(feedback, List.of(
                    codec.encode(choice("u2-e1", "u2", "After start", ab(), "b", T0.plusSeconds(2))),
                    "garbage".getBytes(StandardCharsets.UTF_8),
                    codec.encode(choice("u2-e2", "u2", "After start", ab(), "b", T0.plusSeconds(3)))));

            AvroCodec<PreferencePair> pairCodec = new AvroCodec<>(PreferencePair.class);
            List<PreferencePair> pairs = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pairs.size() < 2) {
                assertThat(System.nanoTime()).as("waiting for 2 pairs, have %s", pairs).isLessThan(deadline);
                Thread.sleep(200);
                pairs.clear();
                for (ConsumerRecord<byte[], byte[]> r : readCommitted(config.pairsTopic())) {
                    pairs.add(pairCodec.decode(r.value()));
                }
            }
            assertThat(pairs).extracting(PreferencePair::getComparisonId, PreferencePair::getChosenId)
                    .containsExactlyInAnyOrder(tuple("u1", "a"), tuple("u2", "b"));
            while (run.counts().eventsIn() < 5) {
                assertThat(System.nanoTime()).as("waiting for running counts").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(run.counts().eventsIn()).isEqualTo(5);

            run.cancel();
            run.awaitTermination();
            assertThat(run.counts().deadLettered()).containsEntry("invalid_avro", 1L);
            assertThatThrownBy(run::awaitReport).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void run_bounded_jsonTopic_curatedAndDeadLetteredLikeAvro() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String feedback = "feedback-" + suffix;
        String json = "feedback.json-" + suffix;
        Topics.ensure(KAFKA.bootstrapServers(), List.of(feedback, json), 1, (short) 1);
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        PrefpipeJsonWriter writer = new PrefpipeJsonWriter();
        // j1: two votes for a as Avro, one for b as JSON -> a beats b 2:1 across both topics
        produce(feedback, List.of(
                codec.encode(choice("j1-e1", "j1", "Across topics?", ab(), "a", T0)),
                codec.encode(choice("j1-e2", "j1", "Across topics?", ab(), "a", T0.plusSeconds(1)))));
        String j1e3 = writer.write(choice("j1-e3", "j1", "Across topics?", ab(), "b", T0.plusSeconds(2)));
        // j2: JSON only, and j2-e1 redelivered over Avro -> 1 duplicate across topics; b beats a 2:0
        FeedbackEvent j2e1 = choice("j2-e1", "j2", "JSON only?", ab(), "b", T0.plusSeconds(3));
        String valid2 = writer.write(j2e1);
        String valid3 = writer.write(choice("j2-e2", "j2", "JSON only?", ab(), "b", T0.plusSeconds(4)));
        List<String> jsonMessages = List.of(
                j1e3,
                valid2,
                valid3,
                "{\"event_id\": ",
                valid3.replace("\"prompt\":\"JSON only?\"", "\"prompt\":42"),
                valid3.replace("\"event_id\":\"j2-e2\"", "\"event_id\":\"j3\",\"colour\":\"red\""),
                valid3.replace("\"event_id\":\"j2-e2\",", ""),
                valid3.replace("\"HUMAN\"", "\"ROBOT\""),
                valid3.replace("\"preferred\":\"b\"", "\"preferred\":\"zzz\""));
        List<byte[]> jsonBytes = new ArrayList<>();
        jsonMessages.forEach(m -> jsonBytes.add(m.getBytes(StandardCharsets.UTF_8)));
        jsonBytes.add(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        produce(json, jsonBytes);
        produce(feedback, List.of(codec.encode(j2e1)));

        CurationReport report = CurationJob.run(baseConfig(suffix, tmp.resolve("json")).build(),
                CurationProgressListener.NONE);

        assertThat(report.eventsInByTopic()).containsExactlyInAnyOrderEntriesOf(Map.of(feedback, 3L, json, 10L));
        assertThat(report.eventsIn()).isEqualTo(13);
        assertThat(report.deadLettered()).containsExactlyInAnyOrderEntriesOf(Map.of("invalid_json", 1L,
                "wrong_type", 1L, "unknown_field", 1L, "missing_field", 1L, "invalid_value", 1L,
                "unknown_response", 1L, "invalid_utf8", 1L));
        assertThat(report.filtered()).containsExactlyInAnyOrderEntriesOf(Map.of("duplicate", 1L));
        assertThat(report.curatedEvents()).isEqualTo(5);
        assertThat(report.counts().reconciles()).isTrue();
        assertThat(TestSnapshots.readPairs(tmp.resolve("json")))
                .extracting(PreferencePair::getComparisonId, PreferencePair::getChosenId, PreferencePair::getVoteCount)
                .containsExactlyInAnyOrder(tuple("j1", "a", 3), tuple("j2", "b", 2));

        AvroCodec<DeadLetter> dlqCodec = new AvroCodec<>(DeadLetter.class);
        List<DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted("feedback.dlq-" + suffix)) {
            dead.add(dlqCodec.decode(r.value()));
        }
        assertThat(dead)
                .extracting(DeadLetter::getReason, DeadLetter::getField, DeadLetter::getSourceOffset,
                        DeadLetter::getSourceTopic)
                .containsExactlyInAnyOrder(
                        tuple("invalid_json", null, 3L, json),
                        tuple("wrong_type", "prompt", 4L, json),
                        tuple("unknown_field", "colour", 5L, json),
                        tuple("missing_field", "event_id", 6L, json),
                        tuple("invalid_value", "annotator.kind", 7L, json),
                        tuple("unknown_response", "judgement.preferred", 8L, json),
                        tuple("invalid_utf8", null, 9L, json));
        for (DeadLetter d : dead) {
            assertThat(bytes(d.getPayload())).isEqualTo(jsonBytes.get(d.getSourceOffset().intValue()));
        }
    }

    @Test
    void start_snapshotFolderNotEmpty_isRefused() throws Exception {
        Path snapshotDir = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(snapshotDir.resolve("manifest.json"), "{}");
        CurationJobConfig config = baseConfig("unused", snapshotDir).build();

        assertThatThrownBy(() -> CurationJob.start(config, CurationProgressListener.NONE))
                .isInstanceOf(CurationException.class)
                .hasMessageContaining("is not empty");
    }

    @Test
    void start_missingFeedbackTopic_namesTheTopic() {
        CurationJobConfig config = baseConfig("missing-" + UUID.randomUUID(), tmp.resolve("s")).build();

        assertThatThrownBy(() -> CurationJob.start(config, CurationProgressListener.NONE))
                .isInstanceOf(CurationException.class)
                .hasMessageContaining("topic '" + config.feedbackTopic() + "' does not exist");
    }

    private static CurationJobConfig.Builder baseConfig(String suffix, Path snapshotDir) {
        return CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + suffix)
                .setFeedbackJsonTopic("feedback.json-" + suffix)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .setCheckpointInterval(Duration.ofMillis(500))
                .setEmitAfterVotes(4)
                .setComparisonWindow(Duration.ofMinutes(10))
                .setMaxOutOfOrderness(Duration.ofMinutes(1))
                .setProgressInterval(Duration.ofSeconds(1));
    }

    private static void produce(String topic, List<byte[]> messages) throws Exception {
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), topic, messages);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(), topic);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
