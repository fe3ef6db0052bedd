package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.kafka.embedded.EmbeddedKafkaExtension;
import io.prefpipe.kafka.embedded.KafkaTestTopics;
import io.prefpipe.schema.DeadLetter;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly once under faults, on a real broker and a local MiniCluster: each test breaks a run of the curation job
 * mid-stream and ends with {@link FaultScenario#assertExactlyOnce}.
 */
class FaultToleranceITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @Test
    void run_taskFailsMidStream_restartsFromCheckpointAndCountsEveryEventOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = produced(7, suffix);
        Path snapshotDir = tmp.resolve("snapshot");
        Path marker = tmp.resolve("failed");
        CurationJobConfig config = config(suffix, snapshotDir).build();

        CurationReport report;
        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE,
                new FailOnceAfterCheckpoint(400, marker))) {
            report = run.awaitReport();
        }

        assertFailedOnceAndRecoveredExactly(scenario, marker, report, snapshotDir, config);
    }

    /**
     * The same fault on RocksDB with incremental checkpoints, the state backend for dedupe and closed-comparison marks
     * larger than the heap (a week of event ids): the job restores from an incremental checkpoint, whose shared files
     * hold the RocksDB state.
     */
    @Test
    void run_onRocksDbWithIncrementalCheckpoints_taskFailsMidStream_restoresAndCountsEveryEventOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = produced(17, suffix);
        Path snapshotDir = tmp.resolve("snapshot");
        Path checkpoints = tmp.resolve("checkpoints");
        Path marker = tmp.resolve("failed");
        CurationJobConfig config = onIncrementalRocksDb(config(suffix, snapshotDir).setCheckpointDir(checkpoints))
                .build();

        Set<String> sharedFiles = new HashSet<>();
        CurationReport report = runFailingOnce(config, marker, () -> sharedFiles.addAll(sharedFiles(checkpoints)));

        assertFailedOnceAndRecoveredExactly(scenario, marker, report, snapshotDir, config);
        assertThat(sharedFiles).as("incremental RocksDB checkpoints keep their SST files in the shared folder")
                .anyMatch(name -> name.endsWith(".sst") || !name.contains("."));
    }

    /**
     * The same fault on the heap backend with the state changelog, whose checkpoints upload the state's changes since
     * the last one instead of all of it: the job restores from a materialized snapshot of the heap state plus the
     * changes logged after it (materialized every second here, so that a restore needs both).
     */
    @Test
    void run_onTheHeapWithTheStateChangelog_taskFailsMidStream_restoresAndCountsEveryEventOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = produced(19, suffix);
        Path snapshotDir = tmp.resolve("snapshot");
        Path changelog = tmp.resolve("changelog");
        Path marker = tmp.resolve("failed");
        CurationJobConfig config = config(suffix, snapshotDir)
                .setFlinkSetting("state.changelog.enabled", "true")
                .setFlinkSetting("state.changelog.storage", "filesystem")
                .setFlinkSetting("state.changelog.dstl.dfs.base-path", changelog.toUri().toString())
                .setFlinkSetting("state.changelog.periodic-materialize.interval", "1s")
                .build();

        Set<String> logged = new HashSet<>();
        CurationReport report = runFailingOnce(config, marker, () -> logged.addAll(namesIn(changelog, "dstl")));

        assertFailedOnceAndRecoveredExactly(scenario, marker, report, snapshotDir, config);
        assertThat(logged).as("state changes were logged").isNotEmpty();
    }

    /** Something a test looks at while a job runs. */
    private interface Sample {
        void take() throws IOException;
    }

    /**
     * Runs the job with a task failure after a checkpoint, taking {@code sample} every 20 ms until it finishes: a
     * finished job's checkpoint files are discarded, so a test looks at them while it runs.
     */
    private static CurationReport runFailingOnce(CurationJobConfig config, Path marker, Sample sample)
            throws Exception {
        try (CurationRun run = CurationJob.start(config, CurationProgressListener.NONE,
                new FailOnceAfterCheckpoint(400, marker))) {
            CompletableFuture<CurationReport> finished = CompletableFuture.supplyAsync(run::awaitReport);
            while (!finished.isDone()) {
                sample.take();
                Thread.sleep(20);
            }
            return finished.join();
        }
    }

    private static CurationJobConfig.Builder onIncrementalRocksDb(CurationJobConfig.Builder config) {
        return config.setFlinkSetting("state.backend.type", "rocksdb")
                .setFlinkSetting("execution.checkpointing.incremental", "true")
                // every state file to its own file, none inlined into the checkpoint's metadata
                .setFlinkSetting("state.storage.fs.memory-threshold", "0");
    }

    /**
     * The names in each job's {@code shared} folder under {@code checkpoints}. Only those folders are listed: walking
     * the whole tree fails whenever Flink deletes a subsumed checkpoint's folder during the walk, and a sample that
     * fails that way could miss the shared files altogether.
     */
    private static Set<String> sharedFiles(Path checkpoints) throws IOException {
        return namesIn(checkpoints, "shared");
    }

    /** The names in each job's {@code folder} under {@code root}, which holds a folder per job. */
    private static Set<String> namesIn(Path root, String folder) throws IOException {
        Set<String> names = new HashSet<>();
        for (Path job : list(root)) {
            list(job.resolve(folder)).forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (NoSuchFileException | UncheckedIOException e) {
            // not there yet, or deleted while listed: an empty sample, and the next one looks again
            return List.of();
        }
    }

    @Test
    void run_processKilledMidStream_resumesFromLatestRetainedCheckpoint() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = produced(11, suffix);
        Path snapshotDir = tmp.resolve("snapshot");
        Path checkpoints = tmp.resolve("checkpoints");
        List<String> options = List.of("bootstrap-servers=" + KAFKA.bootstrapServers(),
                "feedback-topic=feedback-" + suffix, "feedback-json-topic=feedback.json-" + suffix,
                "dead-letter-topic=feedback.dlq-" + suffix,
                "pairs-topic=pairs-" + suffix, "annotators-topic=annotators-" + suffix, "group-id=curate-" + suffix,
                "transactional-id-prefix=curate-" + suffix, "bounded=true", "snapshot-dir=" + snapshotDir,
                "checkpoint-dir=" + checkpoints, "parallelism=2", "checkpoint-interval=300 ms",
                "emit-after-votes=" + FaultScenario.VOTES, "comparison-window=1 d", "max-out-of-orderness=1 d");

        // first process: slowed down to about 10 s, killed with SIGKILL once some pairs are committed
        Process first = CurationProcesses.start(tmp.resolve("first.log"), options, "throttle-micros=5000");
        try {
            awaitCommittedCheckpoint(first, snapshotDir, checkpoints, tmp.resolve("first.log"));
        } finally {
            first.destroyForcibly();
        }
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(snapshotDir.resolve(SnapshotManifest.FILE_NAME)).doesNotExist();
        long committedBeforeKill = SnapshotFiles.committed(snapshotDir).stream().mapToLong(f -> f.rows()).sum();
        assertThat(committedBeforeKill).isBetween(1L, scenario.comparisons() - 1L);

        // second process: resumes from the latest retained checkpoint and finishes the bounded run
        Path latest = RetainedCheckpoints.latest(checkpoints).orElseThrow();
        List<String> resumed = new ArrayList<>(options);
        resumed.add("resume-from=" + latest);
        Process second = CurationProcesses.start(tmp.resolve("second.log"), resumed);
        try {
            assertThat(second.waitFor(3, TimeUnit.MINUTES) && second.exitValue() == 0)
                    .as("second process ended well; log:%n%s", CurationProcesses.log(tmp.resolve("second.log")))
                    .isTrue();
        } finally {
            second.destroyForcibly();
        }

        SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
        scenario.assertExactlyOnce(manifest.counts(), snapshotDir,
                TestTopics.readCommitted(KAFKA.bootstrapServers(), "pairs-" + suffix, PreferencePair.class));
        assertThat(manifest.files()).isEqualTo(SnapshotFiles.committed(snapshotDir));
        // the JSON topic was read too, and is empty
        assertThat(manifest.sources()).filteredOn(r -> r.topic().equals("feedback-" + suffix))
                .extracting(OffsetRange::endOffset).containsExactlyElementsOf(endOffsets("feedback-" + suffix));
        assertThat(manifest.sources()).filteredOn(r -> r.topic().equals("feedback.json-" + suffix))
                .extracting(OffsetRange::endOffset).containsOnly(0L);
    }

    /**
     * A job upgrade: version 1 on the heap backend, stopped with a (canonical) savepoint, restored at a higher
     * parallelism on {@code backend}; RocksDB is where a job moves once its dedupe marks outgrow the heap.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void start_stopWithSavepointThenRestoreAtHigherParallelism_countsEveryEventOnce(String backend) throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = FaultScenario.generate(13, 1_000, 100, 50);
        Topics.ensure(KAFKA.bootstrapServers(), List.of("feedback-" + suffix), 2, (short) 1);
        Path snapshotDir = tmp.resolve("snapshot");
        CurationJobConfig.Builder config = config(suffix, snapshotDir).setBounded(false);
        Path savepoint;
        long eventsAtSavepoint;

        // version 1 of the job, parallelism 1, stopped with a savepoint after the first third of the stream
        int third = scenario.messages().size() / 3;
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), "feedback-" + suffix, scenario.messages().subList(0, third));
        try (CurationRun v1 = CurationJob.start(config.setParallelism(1).build(), CurationProgressListener.NONE)) {
            awaitEventsIn(v1, third);
            savepoint = v1.stopWithSavepoint(tmp.resolve("savepoints"));
            eventsAtSavepoint = v1.counts().eventsIn();
            assertThat(v1.counts().reconciles()).isTrue();
        }
        assertThat(eventsAtSavepoint).isEqualTo(third);
        assertThat(SnapshotFiles.committed(snapshotDir)).isNotEmpty();

        // version 2: parallelism 2 on the given backend, restored from the savepoint into the same snapshot folder,
        // while the rest arrives
        Path checkpoints = tmp.resolve("checkpoints-v2");
        config.setParallelism(2).setResumeFrom(savepoint).setCheckpointDir(checkpoints)
                .setFlinkSetting("state.backend.type", backend);
        if (backend.equals("rocksdb")) {
            onIncrementalRocksDb(config);
        }
        Set<String> sharedFiles = new HashSet<>();
        try (CurationRun v2 = CurationJob.start(config.build(), CurationProgressListener.NONE);
                PacedProducer producer = new PacedProducer(KAFKA.bootstrapServers(), "feedback-" + suffix,
                        scenario.messages().subList(third, scenario.messages().size()), Duration.ofMillis(2))) {
            producer.awaitAll();
            awaitEventsIn(v2, scenario.messages().size());
            // a stopped job's checkpoints are discarded, so look at them while it runs
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (RetainedCheckpoints.latest(checkpoints).isEmpty()) {
                assertThat(System.nanoTime()).as("waiting for a checkpoint of version 2").isLessThan(deadline);
                sharedFiles.addAll(sharedFiles(checkpoints));
                Thread.sleep(20);
            }
            sharedFiles.addAll(sharedFiles(checkpoints));
            v2.stopWithSavepoint(tmp.resolve("savepoints"));
            scenario.assertExactlyOnce(v2.counts(), snapshotDir, pairsTopic(config.build()));
        }
        if (backend.equals("rocksdb")) {
            assertThat(sharedFiles).as("the restored job checkpoints incrementally, on RocksDB")
                    .anyMatch(name -> name.endsWith(".sst") || !name.contains("."));
        } else {
            assertThat(sharedFiles).as("the heap backend writes no shared files").isEmpty();
        }
    }

    /**
     * What the alignment loop does when its process stops and starts again: the unbounded job is cancelled mid-stream
     * and resumed from its newest retained checkpoint, whose Kafka transactions the cancelled job has usually
     * committed already. The resumed job's sinks commit them again; on brokers with transactions v2 the Kafka
     * committer logs that as an ERROR ("producer is already fenced"), but nothing is lost or written twice.
     */
    @Test
    void start_cancelledMidStreamThenResumedFromRetainedCheckpoint_countsEveryEventOnce() throws Exception {
        String suffix = UUID.randomUUID().toString();
        FaultScenario scenario = FaultScenario.generate(17, 1_000, 100, 50);
        Topics.ensure(KAFKA.bootstrapServers(), List.of("feedback-" + suffix), 2, (short) 1);
        Path snapshotDir = tmp.resolve("snapshot");
        Path checkpoints = tmp.resolve("checkpoints");
        CurationJobConfig.Builder config = config(suffix, snapshotDir).setBounded(false).setCheckpointDir(checkpoints);
        int total = scenario.messages().size();

        // about 16 s of feedback; the first job is cancelled halfway through, the second reads the rest
        try (PacedProducer producer = new PacedProducer(KAFKA.bootstrapServers(), "feedback-" + suffix,
                scenario.messages(), Duration.ofMillis(5))) {
            try (CurationRun first = CurationJob.start(config.build(), CurationProgressListener.NONE)) {
                awaitEventsIn(first, total / 2);
                awaitCommittedPairs(snapshotDir);
            }
            Path latest = RetainedCheckpoints.latest(checkpoints).orElseThrow();
            List<RestoredTransactions> heard = new ArrayList<>();
            CurationProgressListener resuming = new CurationProgressListener() {
                @Override
                public void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {
                    assertThat(checkpoint).isEqualTo(Locations.of(latest));
                    heard.add(transactions.orElseThrow());
                }
            };

            try (CurationRun second = CurationJob.start(config.setResumeFrom(latest).build(), resuming)) {
                assertThat(heard).as("told before the job was submitted").hasSize(1);
                RestoredTransactions restored = heard.get(0);
                assertThat(restored.checkpointId()).isEqualTo(RetainedCheckpoints.checkpointId(latest));
                assertThat(restored.committed().size() + restored.open().size())
                        .as("the checkpoint holds records in transactions: %s", restored).isPositive();
                assertThat(restored.aborted()).isEmpty();
                producer.awaitAll();
                awaitEventsIn(second, total);
                second.stopWithSavepoint(tmp.resolve("savepoints"));
                scenario.assertExactlyOnce(second.counts(), snapshotDir, pairsTopic(config.build()));
            }
        }
        assertThat(TestTopics.readCommitted(KAFKA.bootstrapServers(), "feedback.dlq-" + suffix, DeadLetter.class))
                .as("dead letters, each once").extracting(d -> d.getSourcePartition() + "/" + d.getSourceOffset())
                .doesNotHaveDuplicates().hasSize(scenario.garbage());
    }

    /** Waits until a completed checkpoint of the running job in {@code snapshotDir} has committed pairs. */
    private static void awaitCommittedPairs(Path snapshotDir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (SnapshotCutter.pending(snapshotDir).pairs() == 0) {
            assertThat(System.nanoTime()).as("waiting for a checkpoint that committed pairs").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Waits until the running job has counted {@code n} events in. */
    static void awaitEventsIn(CurationRun run, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (run.counts().eventsIn() < n) {
            assertThat(System.nanoTime()).as("waiting for %s events in, have %s", n, run.counts()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until the process has committed some pairs at a completed checkpoint; fails if it ends first. */
    private static void awaitCommittedCheckpoint(Process process, Path snapshotDir, Path checkpoints, Path log)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.isDirectory(snapshotDir) || SnapshotFiles.committed(snapshotDir).isEmpty()
                || RetainedCheckpoints.latest(checkpoints).isEmpty()) {
            assertThat(process.isAlive()).as("process still running; log:%n%s", CurationProcesses.log(log)).isTrue();
            assertThat(System.nanoTime()).as("waiting for a committed checkpoint").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<Long> endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            var partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            var latest = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get();
            return partitions.stream().map(tp -> latest.get(tp).offset()).toList();
        }
    }

    /** The injected failure happened after a checkpoint, and the finished run holds every event exactly once. */
    private static void assertFailedOnceAndRecoveredExactly(FaultScenario scenario, Path marker, CurationReport report,
            Path snapshotDir, CurationJobConfig config) throws Exception {
        assertThat(marker).as("the injected failure happened").exists();
        assertThat(Files.readString(marker)).as("the job had completed a checkpoint to restore")
                .containsPattern("checkpoint [1-9][0-9]* complete");
        scenario.assertExactlyOnce(report.counts(), snapshotDir, pairsTopic(config));
        assertThat(report.manifest().totalRows()).isEqualTo(scenario.comparisons());
    }

    /** The scenario of this seed (1,000 events), all in topic {@code feedback-<suffix>} of 2 partitions. */
    private static FaultScenario produced(long seed, String suffix) throws Exception {
        FaultScenario scenario = FaultScenario.generate(seed, 1_000, 100, 50);
        Topics.ensure(KAFKA.bootstrapServers(), List.of("feedback-" + suffix), 2, (short) 1);
        KafkaTestTopics.produce(KAFKA.bootstrapServers(), "feedback-" + suffix, scenario.messages());
        return scenario;
    }

    static CurationJobConfig.Builder config(String suffix, Path snapshotDir) {
        return CurationJobConfig.builder()
                .setBootstrapServers(KAFKA.bootstrapServers())
                .setFeedbackTopic("feedback-" + suffix)
                .setFeedbackJsonTopic("feedback.json-" + suffix)
                .setDeadLetterTopic("feedback.dlq-" + suffix)
                .setPairsTopic("pairs-" + suffix)
                .setAnnotatorsTopic("annotators-" + suffix)
                .setGroupId("curate-" + suffix)
                .setTransactionalIdPrefix("curate-" + suffix)
                .setSnapshotDir(snapshotDir)
                .setParallelism(2)
                .setCheckpointInterval(Duration.ofMillis(300))
                .setRestartDelay(Duration.ofMillis(200))
                .setEmitAfterVotes(FaultScenario.VOTES)
                .setComparisonWindow(Duration.ofDays(1))
                .setMaxOutOfOrderness(Duration.ofDays(1))
                .setProgressInterval(Duration.ofSeconds(1));
    }

    private static List<PreferencePair> pairsTopic(CurationJobConfig config) throws Exception {
        return TestTopics.readCommitted(KAFKA.bootstrapServers(), config.pairsTopic(), PreferencePair.class);
    }
}
