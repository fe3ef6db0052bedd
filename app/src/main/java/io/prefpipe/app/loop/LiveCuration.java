package io.prefpipe.app.loop;

import io.prefpipe.flink.curate.Aggregators;
import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.curate.RetainedCheckpoints;
import io.prefpipe.flink.curate.SnapshotCutter;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.snapshot.CheckpointLedger;
import io.prefpipe.optimizer.internal.AtomicFiles;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
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
 * cut from the job: a cut taken by anyone else takes its pairs away from the loop's next cut, so they would be in no
 * iteration. Hence the loop names itself in the job folder's {@value #OWNER_FILE}, which {@code prefpipe snapshot cut}
 * and other loops respect, and refuses to cut after a cut it did not take ({@link #cut}).
 */
public final class LiveCuration implements AutoCloseable {
    /** The file in a job folder that names the loop cutting from it. */
    public static final String OWNER_FILE = "loop-owner.properties";

    private static final Duration CUT_TIMEOUT = Duration.ofMinutes(2);
    /**
     * How long after a checkpoint carries the first model the comparisons that waited for it are surely decided:
     * curation looks for the model every 500 ms.
     */
    private static final Duration MODEL_RELEASE = Duration.ofSeconds(1);

    private final Path jobDir;
    private final Owner owner;
    private final CurationRun run;
    private final SnapshotCutter cutter = new SnapshotCutter(Clock.systemUTC(), CUT_TIMEOUT);

    private LiveCuration(Path jobDir, Owner owner, CurationRun run) {
        this.jobDir = jobDir;
        this.owner = owner;
        this.run = run;
    }

    /**
     * The loop that cuts from a job folder.
     *
     * @param name the loop's name
     * @param dir its folder, absolute
     */
    public record Owner(String name, Path dir) {
        public Owner {
            Objects.requireNonNull(name, "name");
            dir = dir.toAbsolutePath().normalize();
        }

        static Owner of(LoopConfig config) {
            return new Owner(config.name(), config.dir());
        }

        @Override
        public String toString() {
            return "the loop " + name + " in " + dir;
        }
    }

    /**
     * The loop that cuts from {@code jobDir}, as its {@value #OWNER_FILE} names it, if any.
     *
     * @throws IOException naming the file, if it exists but cannot be read
     */
    public static Optional<Owner> owner(Path jobDir) throws IOException {
        Path file = jobDir.resolve(OWNER_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String name = p.getProperty("name");
        String dir = p.getProperty("dir");
        if (name == null || dir == null) {
            throw new IOException(file + " must name the loop's name and dir");
        }
        return Optional.of(new Owner(name, Path.of(dir)));
    }

    /**
     * Cuts from a job another process runs, writing into {@code config}'s {@code curation.job-dir}.
     *
     * @throws LoopRefusedException if another loop cuts from that folder
     */
    public static LiveCuration attach(LoopConfig config) throws IOException {
        Path jobDir = config.curation().jobDir();
        Owner owner = Owner.of(config);
        checkOwner(jobDir, owner);
        // a `prefpipe curate` job refuses to start in a folder that is not empty: claimed at the first cut then
        if (Files.isDirectory(jobDir)) {
            claim(jobDir, owner);
        }
        return new LiveCuration(jobDir, owner, null);
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
        Owner owner = Owner.of(config);
        checkOwner(c.jobDir(), owner);
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
                FlinkFiles.deleteRecursively(new org.apache.flink.core.fs.Path(c.jobDir().toUri()));
            }
        }
        CurationJobConfig job = jobConfig(config, resumeFrom);
        CurationRun run = CurationJob.start(job,
                listener.andThen(CurationProgressListener.printingResumes(console, "curation: ")));
        // after the start: a new job refuses a folder that is not empty
        try {
            claim(c.jobDir(), owner);
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        console.printf("curation: job %s reads %s from the offsets in %s (unbounded, aggregator %s, decides a"
                + " comparison after %d votes or %s of event time, commits every %s)%n", run.jobId(),
                String.join(", ", run.plan().topics()), c.jobDir(), c.aggregator(), c.emitAfterVotes(),
                c.comparisonWindow(), c.checkpointInterval());
        return new LiveCuration(c.jobDir(), owner, run);
    }

    /**
     * The job {@code config}'s curation section describes, resumed from {@code resumeFrom} (or null).
     *
     * @throws IllegalArgumentException naming {@code curation.flink} if one of its settings is one the job sets itself
     */
    static CurationJobConfig jobConfig(LoopConfig config, Path resumeFrom) {
        LoopConfig.Curation c = config.curation();
        CurationJobConfig.Builder builder = CurationJobConfig.builder()
                .setBootstrapServers(config.kafka().bootstrap())
                .setFeedbackTopic(config.kafka().feedback())
                .setFeedbackJsonTopic(config.kafka().feedbackJson())
                .setDeadLetterTopic(config.kafka().deadLetters())
                .setPairsTopic(config.kafka().pairs())
                .setAnnotatorsTopic(config.kafka().annotators())
                .setGroupId(c.groupId())
                .setStartingOffsets(c.startingOffsets())
                .setTransactionalIdPrefix(config.name() + "-curation")
                .setBounded(false)
                .setSnapshotDir(c.jobDir())
                .setSnapshotId(config.name())
                .setCheckpointDir(c.checkpointDir())
                .setCheckpointInterval(c.checkpointInterval())
                .setAggregator(c.aggregator())
                .setEmitAfterVotes(c.emitAfterVotes())
                .setComparisonWindow(c.comparisonWindow())
                .setParallelism(c.parallelism())
                .setResumeFrom(resumeFrom);
        c.flinkSettings().forEach(builder::setFlinkSetting);
        CurationJobConfig job = builder.build();
        try {
            CurationJob.checkFlinkSettings(job);
            return job;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("curation.flink: " + e.getMessage(), e);
        }
    }

    /** Pairs committed since the previous cut, as of the newest completed checkpoint. */
    public long pendingPairs() throws IOException {
        return SnapshotCutter.pending(jobDir).pairs();
    }

    /**
     * Cuts {@code cutId} (or finds it, if a crashed attempt cut it already) and links its files and manifest into
     * {@code dir}.
     *
     * @param previousCutId the loop's previous cut, or null before its first (cuts taken before the loop's first are
     *     someone else's business: a job the loop attached to may have been cut before)
     * @throws LoopRefusedException if the job folder holds cuts after {@code previousCutId} that the loop did not take
     *     (their pairs would be in no iteration), naming them and what to do
     * @throws IOException if nothing was committed since the previous cut, or the cut cannot be written
     */
    public LoopSteps.Snapshot cut(String cutId, String previousCutId, Path dir) throws IOException {
        Path cutDir = jobDir.resolve(SnapshotCutter.CUTS).resolve(cutId);
        boolean cutBefore = Files.exists(cutDir.resolve(SnapshotManifest.FILE_NAME));
        if (previousCutId != null) {
            checkNoForeignCuts(cutId, previousCutId);
        }
        claim(jobDir, owner);
        SnapshotManifest manifest;
        if (cutBefore) {
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
        FlinkFiles.deleteRecursively(new org.apache.flink.core.fs.Path(tmp.toUri()));
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

    /**
     * Waits until the job has decided what it has read: {@link #awaitRead} and, when {@code aggregator} decides with the
     * annotator model, two checkpoints completed a second or more after the first one that carries a model whose counts
     * are the same, so that curation is at rest (or, while new input keeps arriving, two such checkpoints). Comparisons
     * complete before the job's first model wait for it (up to a refit interval), so a cut taken when the input is
     * merely read can hold a handful of pairs; and on a busy machine the timers that release them may fire later than
     * the first checkpoint after that second, which a single checkpoint would take for done (seen: 19 pairs decided of
     * over 100).
     *
     * @throws IOException if that does not happen within {@code timeout}
     */
    public void awaitCurated(String bootstrap, List<String> topics, String aggregator, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitRead(bootstrap, topics, timeout);
        if (!Aggregators.decidesWithModel(aggregator)) {
            return;
        }
        Path ledger = jobDir.resolve(CheckpointLedger.FOLDER);
        Long modelSeenAt = null;
        CheckpointLedger.Checkpoint before = null;
        while (true) {
            Optional<CheckpointLedger.Checkpoint> latest = CheckpointLedger.latest(ledger);
            long now = System.nanoTime();
            if (modelSeenAt == null && latest.isPresent()
                    && latest.get().properties().containsKey(LabelNoise.MODEL_VERSION)) {
                modelSeenAt = now;
            } else if (modelSeenAt != null && now - modelSeenAt >= MODEL_RELEASE.toNanos()) {
                CheckpointLedger.Checkpoint checkpoint = latest.orElseThrow();
                if (before == null || checkpoint.checkpointId() > before.checkpointId()) {
                    // At rest: nothing new read, so the counts change only while decisions are still being made.
                    // New input may keep arriving, and then rest never comes: one checkpoint more is all it waits.
                    if (before != null && (checkpoint.counts().equals(before.counts())
                            || !checkpoint.nextOffsets().equals(before.nextOffsets()))) {
                        return;
                    }
                    before = checkpoint;
                }
            }
            if (now > deadline) {
                throw new IOException("the curation job has not decided with an annotator model within "
                        + timeout.toSeconds() + " s" + (modelSeenAt == null ? " (no model yet)" : ""));
            }
            Thread.sleep(250);
        }
    }

    /**
     * Refuses to go on if someone else cut from the job after the loop's previous cut: the pairs of such a cut are in
     * none of the loop's. Moving the cut out of the cuts folder gives them back to the loop's next cut (a cut takes
     * what the job committed minus what the cuts in the folder hold), unless this iteration's cut, taken before a
     * crash, came after it; that one, used by no iteration yet, goes too then.
     */
    private void checkNoForeignCuts(String cutId, String previousCutId) throws IOException {
        List<SnapshotManifest> cuts = SnapshotCutter.cuts(jobDir);
        int previous = -1;
        for (int i = 0; i < cuts.size(); i++) {
            if (cuts.get(i).snapshotId().equals(previousCutId)) {
                previous = i;
            }
        }
        Path folder = jobDir.resolve(SnapshotCutter.CUTS);
        if (previous < 0) {
            throw new LoopRefusedException("the loop's previous cut " + previousCutId + " is missing from " + folder
                    + ": the loop cannot tell which pairs it trained on; put the folder " + previousCutId
                    + " back there");
        }
        List<SnapshotManifest> foreign = cuts.subList(previous + 1, cuts.size()).stream()
                .filter(m -> !m.snapshotId().equals(cutId)).toList();
        if (foreign.isEmpty()) {
            return;
        }
        boolean ownAfterForeign = cuts.stream().anyMatch(m -> m.snapshotId().equals(cutId)
                && !previousCutId.equals(m.properties().get(SnapshotCutter.PREVIOUS_PROPERTY)));
        throw new LoopRefusedException("the curation job folder " + jobDir + " holds cuts the loop did not take,"
                + " after its previous cut " + previousCutId + ": " + foreign.stream()
                        .map(m -> m.snapshotId() + " (" + m.counts().pairs() + " pairs)").toList()
                + "; their pairs are in none of the loop's cuts. Move " + (foreign.size() == 1 ? "it" : "them")
                + (ownAfterForeign ? " and " + cutId + " (this iteration's cut, used by no iteration yet)" : "")
                + " out of " + folder + ", and the loop's next cut takes their pairs. To cut from a loop's curation"
                + " job by hand, run a `prefpipe curate` job of your own instead");
    }

    /** Refuses a job folder another loop cuts from. */
    private static void checkOwner(Path jobDir, Owner owner) throws IOException {
        Optional<Owner> current = owner(jobDir);
        if (current.isPresent() && !current.get().dir().equals(owner.dir())) {
            throw new LoopRefusedException("the curation job folder " + jobDir + " is cut by " + current.get()
                    + " (" + jobDir.resolve(OWNER_FILE) + "): two loops cutting from one job each miss the pairs the"
                    + " other cuts. Give this loop a curation.job-dir of its own, or, if that loop is gone for good,"
                    + " delete " + jobDir.resolve(OWNER_FILE));
        }
    }

    /** Names the loop in the job folder's {@value #OWNER_FILE}, unless it is named there already. */
    private static void claim(Path jobDir, Owner owner) throws IOException {
        Optional<Owner> current = owner(jobDir);
        if (current.isPresent() && current.get().equals(owner)) {
            return;
        }
        checkOwner(jobDir, owner);
        Properties p = new Properties();
        p.setProperty("name", owner.name());
        p.setProperty("dir", owner.dir().toString());
        AtomicFiles.writeFile(jobDir.resolve(OWNER_FILE), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            p.store(w, "the prefpipe loop that cuts snapshots from this curation job; `prefpipe snapshot cut`"
                    + " refuses this folder");
            w.flush();
        });
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
}
