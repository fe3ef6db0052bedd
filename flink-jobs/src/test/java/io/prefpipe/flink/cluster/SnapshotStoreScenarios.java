package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.ingestion.synthetic.SyntheticFeedbackConfig;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job jar's main class on a session cluster of two task managers (a MiniCluster reached only through its REST
 * endpoint), with the snapshot folder, the checkpoints and the savepoints on the store a subclass gives (local disk,
 * HDFS, S3): a bounded run that loses a task manager mid-stream, and an unbounded job run as {@code flink run -d},
 * stopped with a savepoint and restored at another parallelism as {@code flink run -s} does (Flink's
 * {@code execution.state-recovery.path}, which the Kubernetes operator sets too), then cut. The main class must see
 * that it restores and keep the snapshot folder and source plan; every event must be counted once and every pair
 * committed once, to the Parquet files and to the pairs topic. Every result is read back through that store.
 */
abstract class SnapshotStoreScenarios {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final FlinkClusterExtension FLINK = new FlinkClusterExtension(2, 2);

    /** The URI of {@code path} (absolute, e.g. {@code /prefpipe/snapshots}) on the file system under test. */
    abstract URI location(String path);

    /**
     * An unbounded job at parallelism 4 (every slot of both task managers) loses a task manager once a checkpoint has
     * committed its first events, before the second half of the stream is sent: it restarts from its latest checkpoint
     * on the store on the task manager that replaces it, and the snapshot cut once every event is in counts every
     * event once and holds every pair once.
     */
    @Test
    void unboundedJob_taskManagerLostMidStream_recoversFromItsCheckpoint_cutHoldsEveryPairOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        URI live = location("/prefpipe/" + suffix + "/live");
        Path dir = new Path(live);
        SyntheticStream stream = SyntheticStream.produce(KAFKA.bootstrapServers(), suffix, 4,
                SyntheticFeedbackConfig.builder(41).setComparisons(2_000).setJudgements(8_000).setAnnotators(20)
                        .setRedeliveryRate(0.02).setMalformedRate(0.01).build(), () -> {
                    Configuration detached = new Configuration();
                    detached.set(DeploymentOptions.ATTACHED, false);
                    runMain(detached, unboundedArguments(suffix, live, 4));
                    awaitCommittedEvents(dir, 1);
                    FLINK.replaceTaskManager(0);
                });
        awaitCommittedEvents(dir, stream.events());
        String job = jobId(dir);
        FLINK.stopWithSavepoint(job, location("/prefpipe/" + suffix + "/savepoints"));

        assertThat(FLINK.mostTaskAttempts(job)).as("tasks started again after the loss").isGreaterThan(1);
        assertCutHoldsEveryEventAndPairOnce(dir, stream, suffix);
    }

    /**
     * An unbounded job run as {@code flink run -d} does, stopped with a savepoint on the file system halfway through
     * its stream and restored from it at a higher parallelism as {@code flink run -s} does; the snapshot cut from the
     * job folder there (its files copied into the cut, as on any file system without links) holds every pair once.
     */
    @Test
    void unboundedJob_savepointThenRestoredAtHigherParallelism_cutHoldsEveryPairOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        URI live = location("/prefpipe/" + suffix + "/live");
        URI savepoints = location("/prefpipe/" + suffix + "/savepoints");
        Path dir = new Path(live);
        List<String> printed = new ArrayList<>();
        long[] eventsInAtStop = new long[1];
        SyntheticStream stream = SyntheticStream.produce(KAFKA.bootstrapServers(), suffix, 4,
                SyntheticFeedbackConfig.builder(43).setComparisons(1_000).setJudgements(4_000).setAnnotators(16)
                        .setRedeliveryRate(0.02).setMalformedRate(0.01).build(), () -> {
                    Configuration detached = new Configuration();
                    detached.set(DeploymentOptions.ATTACHED, false);
                    printed.add(runMain(detached, unboundedArguments(suffix, live, 2)));
                    String first = jobId(dir);
                    awaitCommittedEvents(dir, 1);
                    String savepoint = FLINK.stopWithSavepoint(first, savepoints);
                    assertThat(URI.create(savepoint).getPath()).startsWith(savepoints.getPath());
                    eventsInAtStop[0] = SnapshotCutter.pending(dir).eventsIn();

                    Configuration restore = detached.clone();
                    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                    printed.add(runMain(restore, unboundedArguments(suffix, live, 4)));
                    assertThat(jobId(dir)).as("the restored job's id is recorded").isNotEqualTo(first);
                });

        assertThat(printed.get(0)).contains("(parallelism 2)");
        assertThat(printed.get(1)).contains("(parallelism 4, restored)", "resuming the job from ", savepoints.getPath(),
                "Kafka transactions of checkpoint", "0 aborted");
        assertThat(eventsInAtStop[0]).as("the first job stopped before the second half was sent")
                .isPositive().isLessThanOrEqualTo(stream.events() / 2 + 1);
        awaitCommittedEvents(dir, stream.events());
        FLINK.stopWithSavepoint(jobId(dir), savepoints);

        assertCutHoldsEveryEventAndPairOnce(dir, stream, suffix);
    }

    /**
     * Cuts a snapshot of everything the jobs writing into {@code dir} committed, and checks it: every event of
     * {@code stream} counted once with its fate, every pair once in the cut's files (copies, as read back) and on the
     * pairs topic, read committed.
     */
    private static void assertCutHoldsEveryEventAndPairOnce(Path dir, SyntheticStream stream, String suffix)
            throws Exception {
        SnapshotManifest cut = new SnapshotCutter(Clock.systemUTC(), Duration.ofMinutes(1)).cut(dir, "all")
                .orElseThrow();
        SnapshotManifest.Counts counts = cut.counts();
        assertThat(counts.reconciles()).as("events in = curated + filtered + dead-lettered: %s", counts).isTrue();
        assertThat(counts.eventsIn()).isEqualTo(stream.events());
        assertThat(counts.filtered()).containsEntry("duplicate", stream.redeliveries());
        assertThat(counts.deadLetteredTotal()).isEqualTo(stream.malformed());
        Path cutDir = new Path(new Path(dir, SnapshotCutter.CUTS), "all");
        assertThat(SnapshotFiles.committed(cutDir)).as("the cut's copies, as read back")
                .isEqualTo(cut.files());
        List<PreferencePair> pairs = read(cutDir, cut.files());
        assertThat(pairs).as("every pair committed once").hasSize((int) counts.pairs()).isNotEmpty()
                .extracting(PreferencePair::getPairId).doesNotHaveDuplicates();
        assertThat(pairs).as("one pair per comparison").extracting(PreferencePair::getComparisonId)
                .doesNotHaveDuplicates();
        assertThat(pairsTopic(suffix)).as("the pairs topic, read committed").containsExactlyInAnyOrderElementsOf(pairs);
    }

    private List<String> unboundedArguments(String suffix, URI live, int parallelism) {
        List<String> args = new ArrayList<>(SyntheticStream.jobArguments(KAFKA.bootstrapServers(), suffix, suffix));
        args.addAll(List.of(
                "--bounded", "false",
                "--snapshot-dir", live.toString(),
                "--checkpoint-dir", location("/prefpipe/" + suffix + "/live-checkpoints").toString(),
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

    private static String jobId(Path dir) throws Exception {
        return FlinkFiles.read(new Path(dir, CurationJobMain.JOB_ID_FILE),
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Waits until a completed checkpoint of the jobs writing into {@code dir} has counted {@code n} events in. */
    private static void awaitCommittedEvents(Path dir, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!FlinkFiles.exists(dir) || SnapshotCutter.pending(dir).eventsIn() < n) {
            assertThat(System.nanoTime()).as("waiting for a checkpoint with %s events in", n).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<PreferencePair> read(Path dir, List<SnapshotFile> files) throws Exception {
        List<PreferencePair> pairs = new ArrayList<>();
        for (SnapshotFile f : files) {
            pairs.addAll(TestPairs.read(new Path(dir, f.path())));
        }
        return pairs;
    }

    private static List<PreferencePair> pairsTopic(String run) throws Exception {
        AvroCodec<PreferencePair> codec = new AvroCodec<>(PreferencePair.class);
        List<PreferencePair> pairs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestTopics.readCommitted(KAFKA.bootstrapServers(),
                "pairs-" + run)) {
            pairs.add(codec.decode(r.value()));
        }
        return pairs;
    }
}
