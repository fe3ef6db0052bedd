package io.prefpipe.app.loop;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.flink.curate.RestoredTransactions;
import io.prefpipe.flink.curate.RetainedCheckpoints;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The unbounded curation job the loop cuts its snapshots from, and the cutting. Either the loop runs the job itself
 * ({@link #start}: on a local MiniCluster, with retained checkpoints, resumed from the newest one after a restart) or
 * another process does ({@link #attach}: a {@code prefpipe curate} job without {@code --bounded}).
 *
 * <p>Cuts are {@link SnapshotCutter}'s: the pairs committed up to the newest completed checkpoint and after the
 * previous cut, so consecutive cuts are disjoint and together hold every pair once. The loop must be the only one to
 * cut from the job (a cut taken by hand would be missing from every iteration).
 */
public final class LiveCuration implements AutoCloseable {
    private static final Duration CUT_TIMEOUT = Duration.ofMinutes(2);

    private final Path jobDir;
    private final CurationRun run;
    private final SnapshotCutter cutter = new SnapshotCutter(Clock.systemUTC(), CUT_TIMEOUT);

    private LiveCuration(Path jobDir, CurationRun run) {
        this.jobDir = jobDir;
        this.run = run;
    }

    /** Cuts from a job another process runs, writing into {@code jobDir}. */
    public static LiveCuration attach(Path jobDir) {
        return new LiveCuration(jobDir, null);
    }

    /**
     * Starts the job of {@code config}'s curation section, or resumes it from the newest checkpoint retained in its
     * checkpoint folder when its job folder holds an earlier run's output.
     *
     * @throws IOException if the folders cannot be read, or the job folder holds cuts but no checkpoint is retained
     *     to resume from (starting afresh would curate everything again)
     */
    public static LiveCuration start(LoopConfig config, CurationProgressListener listener, PrintStream console)
            throws IOException {
        LoopConfig.Curation c = config.curation();
        String transactionalIdPrefix = config.name() + "-curation";
        Path resumeFrom = null;
        if (hasOutput(c.jobDir())) {
            Optional<Path> retained = RetainedCheckpoints.latest(c.checkpointDir());
            if (retained.isPresent()) {
                resumeFrom = retained.get();
            } else if (committedAnything(c.jobDir())) {
                throw new IOException("the curation job folder " + c.jobDir() + " holds committed pairs, but "
                        + c.checkpointDir() + " holds no complete checkpoint to resume the job from");
            } else {
                // the previous job died before its first checkpoint: nothing was committed, start again
                deleteTree(c.jobDir());
            }
        }
        CurationJobConfig job = CurationJobConfig.builder()
                .setBootstrapServers(config.kafka().bootstrap())
                .setFeedbackTopic(config.kafka().feedback())
                .setFeedbackJsonTopic(config.kafka().feedbackJson())
                .setDeadLetterTopic(config.kafka().deadLetters())
                .setPairsTopic(config.kafka().pairs())
                .setAnnotatorsTopic(config.kafka().annotators())
                .setGroupId(c.groupId())
                .setStartingOffsets(c.startingOffsets())
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setBounded(false)
                .setSnapshotDir(c.jobDir())
                .setSnapshotId(config.name())
                .setCheckpointDir(c.checkpointDir())
                .setCheckpointInterval(c.checkpointInterval())
                .setAggregator(c.aggregator())
                .setEmitAfterVotes(c.emitAfterVotes())
                .setComparisonWindow(c.comparisonWindow())
                .setParallelism(c.parallelism())
                .setResumeFrom(resumeFrom)
                .build();
        CurationRun run = CurationJob.start(job, listener.andThen(new CurationProgressListener() {
            @Override
            public void onResuming(URI checkpoint, Optional<RestoredTransactions> transactions) {
                console.println("curation: resuming the job from " + checkpoint);
                transactions.ifPresentOrElse(t -> t.report().forEach(line -> console.println("curation: " + line)),
                        () -> console.println("curation: cannot tell what became of the Kafka transactions of "
                                + checkpoint + " (see the log)"));
            }
        }));
        console.printf("curation: job %s reads %s from the offsets in %s (unbounded, aggregator %s, decides a"
                + " comparison after %d votes or %s of event time, commits every %s)%n", run.jobId(),
                String.join(", ", run.plan().topics()), c.jobDir(), c.aggregator(), c.emitAfterVotes(),
                c.comparisonWindow(), c.checkpointInterval());
        return new LiveCuration(c.jobDir(), run);
    }

    /** Pairs committed since the previous cut, as of the newest completed checkpoint. */
    public long pendingPairs() throws IOException {
        return SnapshotCutter.pending(jobDir).pairs();
    }

    /**
     * Cuts {@code cutId} (or finds it, if a crashed attempt cut it already) and links its files and manifest into
     * {@code dir}.
     *
     * @throws IOException if nothing was committed since the previous cut, or the cut cannot be written
     */
    public LoopSteps.Snapshot cut(String cutId, Path dir) throws IOException {
        Path cutDir = jobDir.resolve(SnapshotCutter.CUTS).resolve(cutId);
        SnapshotManifest manifest;
        if (Files.exists(cutDir.resolve(SnapshotManifest.FILE_NAME))) {
            manifest = SnapshotManifest.read(cutDir);
        } else {
            try {
                manifest = cutter.cut(jobDir, cutId).orElseThrow(() -> new IOException("nothing was committed in "
                        + jobDir + " since the previous cut"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while cutting " + cutId, e);
            }
        }
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        for (SnapshotManifest.SnapshotFile f : manifest.files()) {
            Path target = tmp.resolve(f.path());
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, cutDir.resolve(f.path()));
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(cutDir.resolve(f.path()), target);
            }
        }
        Files.copy(cutDir.resolve(SnapshotManifest.FILE_NAME), tmp.resolve(SnapshotManifest.FILE_NAME));
        Files.move(tmp, dir);
        return new LoopSteps.Snapshot(manifest.snapshotId(), dir, manifest.counts().pairs());
    }

    /**
     * Waits until a completed checkpoint of the job has read every message on {@code topics} as of now.
     *
     * @throws IOException if that does not happen within {@code timeout}
     */
    public void awaitRead(String bootstrap, List<String> topics, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, Long> end = endOffsets(bootstrap, topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<CheckpointLedger.Checkpoint> latest =
                    CheckpointLedger.latest(jobDir.resolve(CheckpointLedger.FOLDER));
            if (latest.isPresent() && end.entrySet().stream()
                    .allMatch(e -> latest.get().nextOffsets().getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the curation job has not read up to " + end + " within "
                        + timeout.toSeconds() + " s; latest checkpoint: "
                        + latest.map(c -> c.checkpointId() + " at " + c.nextOffsets()).orElse("none"));
            }
            Thread.sleep(250);
        }
    }

    /** The job folder, where the cuts are. */
    public Path jobDir() {
        return jobDir;
    }

    /** Cancels the job if the loop runs it; its checkpoints are retained, so a restart resumes it. */
    @Override
    public void close() {
        if (run != null) {
            run.close();
        }
    }

    /** End offsets by {@code topic/partition} of the topics that exist. */
    private static Map<String, Long> endOffsets(String bootstrap, List<String> topics) throws IOException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(1, TimeUnit.MINUTES);
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            for (TopicDescription d : admin.describeTopics(topics.stream().filter(existing::contains).toList())
                    .allTopicNames().get(1, TimeUnit.MINUTES).values()) {
                d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            Map<String, Long> end = new LinkedHashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(request).all().get(1, TimeUnit.MINUTES).entrySet()) {
                end.put(e.getKey().topic() + "/" + e.getKey().partition(), e.getValue().offset());
            }
            return end;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the end offsets of " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the end offsets of " + topics + ": " + e, e);
        }
    }

    private static boolean hasOutput(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(jobDir)) {
            return entries.findAny().isPresent();
        }
    }

    private static boolean committedAnything(Path jobDir) throws IOException {
        return CheckpointLedger.latest(jobDir.resolve(CheckpointLedger.FOLDER)).isPresent()
                || !SnapshotCutter.cuts(jobDir).isEmpty();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
