package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar's main class on a session cluster of two task managers with two slots each, at parallelism 4 and at
 * parallelism 1, over the same seeded stream on four partitions of each feedback topic: both snapshots must hold the
 * same pairs, field for field, and the same counts.
 *
 * <p>What makes that so: every comparison is decided by the end-of-input watermark (the comparison window outlasts the
 * stream and no comparison reaches {@code emit-after-votes}), by the final annotator model, which is fitted on all
 * votes once they are all in; curation orders a comparison's events by event time and event id, and the estimator its
 * votes by comparison and event id, not by arrival; refits are counted in votes, not timed. Only {@code model_time}, when the deciding model was fitted
 * (processing time), differs between any two runs, and is left out of the comparison.
 *
 * <p>The parallelism-4 snapshot goes to a file system of another scheme ({@link ForeignSchemeFileSystem}), the other
 * to a {@code file:} URI; both are read back through Flink's file system API.
 */
class ParallelCurationITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(2, 2);

    @TempDir
    Path tmp;

    @Test
    void curation_atParallelism4OnTwoTaskManagers_curatesExactlyThePairsOfParallelism1() throws Exception {
        String suffix = UUID.randomUUID().toString();
        SyntheticStream stream = SyntheticStream.produce(KAFKA.bootstrapServers(), suffix, 4,
                SyntheticFeedbackConfig.builder(17).setComparisons(1_500).setJudgements(6_000).setAnnotators(20)
                        .setRedeliveryRate(0.02).setMalformedRate(0.01).build());
        assertThat(stream.redeliveries()).isPositive();
        assertThat(stream.malformed()).isPositive();

        Run p1 = run(stream, 1, Locations.of(tmp.resolve("p1")));
        Run p4 = run(stream, 4, ForeignSchemeFileSystem.uri("parallel-curation/" + suffix + "/p4"));

        for (Run r : List.of(p1, p4)) {
            assertThat(r.report.counts().reconciles()).as("events in = curated + filtered + dead-lettered: %s",
                    r.report.counts()).isTrue();
            assertThat(r.report.eventsInByTopic()).isEqualTo(Map.of(stream.avroTopic(), stream.avroEvents(),
                    stream.jsonTopic(), stream.jsonEvents()));
            assertThat(r.report.counts().filtered()).containsEntry("duplicate", stream.redeliveries());
            assertThat(r.report.counts().deadLetteredTotal()).isEqualTo(stream.malformed());
            assertThat(r.manifest.properties()).containsEntry("curate.parallelism", Integer.toString(r.parallelism));
            assertThat(r.pairs).as("one pair per decided comparison").hasSize((int) r.report.counts().pairs())
                    .extracting(PreferencePair::getPairId).doesNotHaveDuplicates();
            assertThat(r.topicPairs).as("the pairs topic holds what the snapshot holds")
                    .containsExactlyInAnyOrderElementsOf(r.pairs);
            assertThat(r.pairs).allSatisfy(p -> assertThat(p.getAggregator()).isEqualTo("model-ds"));
        }
        assertThat(p4.report.counts()).isEqualTo(p1.report.counts());
        assertThat(p4.manifest.sources()).isEqualTo(p1.manifest.sources());
        assertThat(p4.manifest.properties()).as("the final model's label-noise estimate")
                .containsAllEntriesOf(labelNoise(p1.manifest));
        assertThat(withoutModelTime(p4.pairs)).containsExactlyInAnyOrderElementsOf(withoutModelTime(p1.pairs));
        assertThat(FLINK.slots()).as("parallelism 4 takes every slot of both task managers").isEqualTo(4);
    }

    /** A run's results: its report, its manifest and pairs read back through Flink, and its pairs topic. */
    private record Run(int parallelism, CurationReport report, SnapshotManifest manifest, List<PreferencePair> pairs,
            List<PreferencePair> topicPairs) {}

    private Run run(SyntheticStream stream, int parallelism, URI snapshot) throws Exception {
        String name = "p" + parallelism + "-" + UUID.randomUUID();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(stream.jobArguments(KAFKA.bootstrapServers(), name));
        args.addAll(List.of(
                "--snapshot-dir", snapshot.toString(),
                "--checkpoint-dir", Locations.of(tmp.resolve("checkpoints-" + name)).toString(),
                "--parallelism", Integer.toString(parallelism),
                "--bounded",
                "--checkpoint-interval", "500 ms",
                "--aggregator", "ds",
                "--emit-after-votes", "1000",
                "--comparison-window", "365 d",
                "--estimator.refit-interval", "1 h",
                "--progress-interval", "1 s"));
        CurationReport report = FLINK.asContext(() -> CurationJobMain.run(Instant.now(),
                new PrintStream(printed, true, StandardCharsets.UTF_8), args.toArray(String[]::new))).orElseThrow();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[reconciled]");
        assertThat(report.snapshotLocation()).isEqualTo(snapshot);
        org.apache.flink.core.fs.Path dir = new org.apache.flink.core.fs.Path(snapshot);
        String recordedJobId = FlinkFiles.read(new org.apache.flink.core.fs.Path(dir, CurationJobMain.JOB_ID_FILE),
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(recordedJobId).isEqualTo(report.jobId());
        SnapshotManifest manifest = FlinkFiles.read(new org.apache.flink.core.fs.Path(dir, SnapshotManifest.FILE_NAME),
                SnapshotManifest::fromJson);
        List<PreferencePair> pairs = new ArrayList<>();
        for (SnapshotManifest.SnapshotFile f : manifest.files()) {
            pairs.addAll(TestPairs.read(new org.apache.flink.core.fs.Path(dir, f.path())));
        }
        AvroCodec<PreferencePair> codec = new AvroCodec<>(PreferencePair.class);
        List<PreferencePair> topicPairs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(),
                "pairs-" + name)) {
            topicPairs.add(codec.decode(r.value()));
        }
        return new Run(parallelism, report, manifest, pairs, topicPairs);
    }

    /** The pairs with the deciding model's fitting time (processing time) cleared; every other field stays. */
    private static List<PreferencePair> withoutModelTime(List<PreferencePair> pairs) {
        return pairs.stream().map(p -> PreferencePair.newBuilder(p).setModelTime(null).build()).toList();
    }

    private static Map<String, String> labelNoise(SnapshotManifest manifest) {
        Map<String, String> p = new java.util.TreeMap<>(manifest.properties());
        p.keySet().removeIf(k -> !k.startsWith("label_noise."));
        return p;
    }
}
