package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.SnapshotCutter;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded curation job run through the job jar's main class as {@code flink run -d} runs it on a session cluster,
 * stopped with a savepoint halfway through its stream, and restored from that savepoint as {@code flink run -s} does
 * (Flink's {@code execution.state-recovery.path}, which the Kubernetes operator sets too) at a higher parallelism:
 * the main class must see that it restores, keep the snapshot folder and source plan, and the two jobs together must
 * count every event once and commit every pair once, to the Parquet files and to the pairs topic.
 */
class JobMainRestoreITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(2, 2);

    @TempDir
    Path tmp;

    @Test
    void flinkRunDetached_stoppedWithSavepointThenRestoredAtAnotherParallelism_curatesEveryEventOnce()
            throws Exception {
        String suffix = UUID.randomUUID().toString();
        Path live = tmp.resolve("live");
        List<String> printed = new ArrayList<>();
        long[] eventsInAtStop = new long[1];
        SyntheticStream stream = SyntheticStream.produce(KAFKA.bootstrapServers(), suffix, 4,
                SyntheticFeedbackConfig.builder(29).setComparisons(1_000).setJudgements(4_000).setAnnotators(16)
                        .setRedeliveryRate(0.02).setMalformedRate(0.01).build(), () -> {
                    Configuration detached = new Configuration();
                    detached.set(DeploymentOptions.ATTACHED, false);
                    printed.add(runMain(detached, arguments(suffix, live, 2)));
                    String first = jobId(live);
                    awaitCommittedEvents(live, 1);
                    String savepoint = FLINK.stopWithSavepoint(first, Locations.of(tmp.resolve("savepoints")));
                    eventsInAtStop[0] = SnapshotCutter.pending(live).eventsIn();

                    Configuration restore = detached.clone();
                    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                    printed.add(runMain(restore, arguments(suffix, live, 4)));
                    assertThat(jobId(live)).as("the restored job's id is recorded").isNotEqualTo(first);
                });

        assertThat(printed.get(0)).contains("(parallelism 2)");
        assertThat(printed.get(1)).contains("(parallelism 4, restored)", "resuming the job from ",
                "Kafka transactions of checkpoint", "0 aborted");
        assertThat(eventsInAtStop[0]).as("the first job stopped before the second half was sent")
                .isPositive().isLessThanOrEqualTo(stream.events() / 2 + 1);
        awaitCommittedEvents(live, stream.events());
        FLINK.stopWithSavepoint(jobId(live), Locations.of(tmp.resolve("savepoints")));

        SnapshotManifest cut = new SnapshotCutter(Clock.systemUTC(), Duration.ofMinutes(1)).cut(live, "all")
                .orElseThrow();
        SnapshotManifest.Counts counts = cut.counts();
        assertThat(counts.reconciles()).as("events in = curated + filtered + dead-lettered: %s", counts).isTrue();
        assertThat(counts.eventsIn()).isEqualTo(stream.events());
        assertThat(counts.filtered()).containsEntry("duplicate", stream.redeliveries());
        assertThat(counts.deadLetteredTotal()).isEqualTo(stream.malformed());
        List<String> fileIds = new ArrayList<>();
        for (SnapshotManifest.SnapshotFile f : cut.files()) {
            TestPairs.read(live.resolve(SnapshotCutter.CUTS).resolve("all").resolve(f.path()))
                    .forEach(p -> fileIds.add(p.getPairId()));
        }
        assertThat(fileIds).as("every pair committed once").hasSize((int) counts.pairs()).doesNotHaveDuplicates()
                .isNotEmpty();
        AvroCodec<PreferencePair> codec = new AvroCodec<>(PreferencePair.class);
        List<String> topicIds = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(),
                "pairs-" + suffix)) {
            topicIds.add(codec.decode(r.value()).getPairId());
        }
        assertThat(topicIds).as("the pairs topic, read committed").containsExactlyInAnyOrderElementsOf(fileIds);
    }

    private static List<String> arguments(String suffix, Path live, int parallelism) {
        List<String> args = new ArrayList<>(SyntheticStream.jobArguments(KAFKA.bootstrapServers(), suffix, suffix));
        args.addAll(List.of(
                "--bounded", "false",
                "--snapshot-dir", Locations.of(live).toString(),
                "--checkpoint-dir", Locations.of(live.resolveSibling("checkpoints")).toString(),
                "--checkpoint-interval", "300 ms",
                "--parallelism", Integer.toString(parallelism)));
        return args;
    }

    /** Runs the job jar's main class as {@code flink run} with {@code flinkRun}'s settings; returns what it printed. */
    private static String runMain(Configuration flinkRun, List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FLINK.asContext(flinkRun, () -> CurationJobMain.run(Instant.now(),
                new PrintStream(out, true, StandardCharsets.UTF_8), args.toArray(String[]::new)));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String jobId(Path live) throws Exception {
        return Files.readString(live.resolve(CurationJobMain.JOB_ID_FILE));
    }

    /** Waits until a completed checkpoint of the jobs writing into {@code live} has counted {@code n} events in. */
    private static void awaitCommittedEvents(Path live, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.isDirectory(live) || SnapshotCutter.pending(live).eventsIn() < n) {
            assertThat(System.nanoTime()).as("waiting for a checkpoint with %s events in", n).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
