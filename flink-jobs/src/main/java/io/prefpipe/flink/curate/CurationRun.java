package io.prefpipe.flink.curate;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.flink.kafka.SourcePlanner;
import io.prefpipe.flink.snapshot.SnapshotFiles;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.Counts;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A submitted curation job: its Flink {@link JobClient}, running counts, and, for a bounded run, the snapshot once it
 * has finished. Closing it stops progress reports and cancels the job if it still runs.
 *
 * <p>Thread-safe.
 */
public final class CurationRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CurationRun.class);

    private final CurationJobConfig config;
    private final SourcePlan plan;
    private final JobClient client;
    /** Asked for once: a per-job MiniCluster shuts down with its job and then answers nothing. */
    private final CompletableFuture<JobExecutionResult> result;
    private final CurationProgressListener listener;
    private final SourcePlanner planner;
    private final Path temporaryCheckpointDir;
    private final Clock clock;
    private final long startNanos;
    private final ScheduledExecutorService progress;
    private volatile Counts lastCounts = new Counts(0, 0, 0, Map.of(), Map.of());
    private CurationReport report;

    CurationRun(CurationJobConfig config, SourcePlan plan, JobClient client, CurationProgressListener listener,
            SourcePlanner planner, Path temporaryCheckpointDir, Clock clock, long startNanos) {
        this.config = config;
        this.plan = plan;
        this.client = client;
        this.result = client.getJobExecutionResult();
        this.listener = listener;
        this.planner = planner;
        this.temporaryCheckpointDir = temporaryCheckpointDir;
        this.clock = clock;
        this.startNanos = startNanos;
        this.progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "curation-progress-" + client.getJobID());
            t.setDaemon(true);
            return t;
        });
        long every = config.progressInterval().toMillis();
        progress.scheduleWithFixedDelay(this::reportProgress, every, every, TimeUnit.MILLISECONDS);
    }

    public String jobId() {
        return client.getJobID().toHexString();
    }

    /** The Flink job, e.g. to cancel it or take a savepoint. */
    public JobClient jobClient() {
        return client;
    }

    /** The offsets this run reads. */
    public SourcePlan plan() {
        return plan;
    }

    /**
     * Counts as of now while the job runs (as fresh as the last task heartbeat); once it has finished (a bounded run's
     * end, or {@link #stopWithSavepoint}), its final counts; after a cancellation or failure, the last counts seen.
     */
    public Counts counts() {
        if (result.isDone() && !result.isCompletedExceptionally()) {
            lastCounts = FateCounters.counts(result.join().getAllAccumulatorResults());
            return lastCounts;
        }
        try {
            lastCounts = FateCounters.counts(client.getAccumulators().get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("cannot read counts of job {}; keeping the last ones", jobId(), e);
        }
        return lastCounts;
    }

    /**
     * Waits for a bounded run to finish, then writes its snapshot manifest and commits its offsets to the group.
     *
     * @throws IllegalStateException if the run is unbounded
     * @throws CurationException if the job failed, the committed files do not hold exactly the pairs counted, the
     *     manifest cannot be written, or the offsets cannot be committed (the snapshot is complete then)
     */
    public synchronized CurationReport awaitReport() {
        if (!config.bounded()) {
            throw new IllegalStateException("an unbounded run has no report; cancel it or awaitTermination()");
        }
        if (report != null) {
            return report;
        }
        Map<String, Object> accumulators = awaitResult().getAllAccumulatorResults();
        Counts counts = FateCounters.counts(accumulators);
        lastCounts = counts;
        // a topic nothing was read from has no accumulator, and reads 0
        Map<String, Long> inByTopic = new TreeMap<>();
        plan.topics().forEach(t -> inByTopic.put(t, 0L));
        inByTopic.putAll(FateCounters.eventsInByTopic(accumulators));
        org.apache.flink.core.fs.Path snapshot = new org.apache.flink.core.fs.Path(config.snapshotLocation());
        List<SnapshotFile> files;
        try {
            files = SnapshotFiles.committed(snapshot);
        } catch (IOException e) {
            throw new CurationException("cannot read the Parquet files in " + snapshot, e);
        }
        long rows = files.stream().mapToLong(SnapshotFile::rows).sum();
        long inFromTopics = inByTopic.values().stream().mapToLong(Long::longValue).sum();
        // at the end of a bounded input every comparison is decided, so no event may still be waiting
        if (rows != counts.pairs() || !counts.reconciles() || inFromTopics != counts.eventsIn()
                || counts.openAtEnd() != 0) {
            throw new CurationException("snapshot " + snapshot + " does not add up: " + rows
                    + " rows in " + files.size() + " committed files, counts " + counts + ", events in by topic "
                    + inByTopic);
        }
        SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, config.snapshotId(),
                clock.instant(), config.aggregator(), files, plan.ranges(), counts,
                properties(LabelNoise.in(accumulators).orElse(null)));
        try {
            FlinkFiles.writeAtomically(new org.apache.flink.core.fs.Path(snapshot, SnapshotManifest.FILE_NAME),
                    manifest::toJson);
        } catch (IOException e) {
            throw new CurationException("cannot write the manifest into " + snapshot, e);
        }
        try {
            planner.commit(config.groupId(), plan);
        } catch (IllegalStateException e) {
            throw new CurationException("snapshot " + snapshot + " is complete, but its offsets were not "
                    + "committed for group " + config.groupId() + ": " + e.getMessage(), e);
        }
        report = new CurationReport(jobId(), counts, inByTopic, Duration.ofNanos(System.nanoTime() - startNanos),
                config.snapshotLocation(), manifest);
        progress.shutdownNow();
        listener.onFinished(report);
        return report;
    }

    /**
     * Blocks until the job ends, e.g. after {@link #cancel()} from another thread.
     *
     * @throws CurationException if the job failed
     */
    public void awaitTermination() {
        try {
            result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CurationException("interrupted while waiting for curation job " + jobId(), e);
        } catch (ExecutionException e) {
            if (ExceptionUtils.findThrowable(e, JobCancellationException.class).isEmpty()) {
                throw failure(e);
            }
        } finally {
            progress.shutdownNow();
        }
    }

    /**
     * Stops the job with a savepoint in {@code savepointDir} and waits until it has ended: the sources stop at the
     * savepoint's barrier, every sink commits what came before it (Parquet files renamed, Kafka transactions
     * committed), and {@link #counts()} then holds exactly the events before the barrier. A run started with
     * {@link CurationJobConfig#resumeFrom()} set to the returned path goes on from there, also at another parallelism.
     *
     * @return the savepoint's folder
     * @throws CurationException if the savepoint fails or the job fails while stopping
     */
    public Path stopWithSavepoint(Path savepointDir) {
        String location;
        try {
            location = client.stopWithSavepoint(false, savepointDir.toAbsolutePath().toUri().toString(),
                    SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CurationException("interrupted while stopping curation job " + jobId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CurationException("cannot stop curation job " + jobId() + " with a savepoint: " + e, e);
        }
        awaitTermination();
        return Path.of(URI.create(location.startsWith("file:") ? location : "file:" + location));
    }

    /** Cancels the job and waits until it has stopped. Counts stay at {@link #counts()}'s last reading. */
    public void cancel() {
        counts();
        try {
            client.cancel().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CurationException("interrupted while cancelling curation job " + jobId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CurationException("cannot cancel curation job " + jobId() + ": " + e.getMessage(), e);
        } finally {
            progress.shutdownNow();
        }
    }

    /**
     * Stops progress reports and leaves the job running on its cluster, e.g. when a detached client is done with it.
     * The run is not to be used afterwards.
     */
    public void detach() {
        progress.shutdownNow();
    }

    /**
     * Stops progress reports, cancels the job unless it has already ended, and deletes the temporary checkpoint
     * folder, if the run made one.
     */
    @Override
    public void close() {
        progress.shutdownNow();
        try {
            if (!result.isDone()) {
                cancel();
                awaitTermination();
            }
        } finally {
            deleteQuietly(temporaryCheckpointDir);
        }
    }

    /** Deletes a folder and everything in it, logging rather than throwing: leftovers cost only disk space. */
    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete temporary folder {}", dir, e);
        }
    }

    private JobExecutionResult awaitResult() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CurationException("interrupted while waiting for curation job " + jobId(), e);
        } catch (ExecutionException e) {
            throw failure(e);
        } finally {
            progress.shutdownNow();
        }
    }

    private CurationException failure(ExecutionException e) {
        Throwable root = ExceptionUtils.stripExecutionException(e);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CurationException("curation job " + jobId() + " failed: " + root, e);
    }

    private void reportProgress() {
        try {
            listener.onProgress(counts(), Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            // a throwing listener would otherwise silently end the scheduled reports
            LOG.warn("progress listener failed", e);
        }
    }

    /**
     * What the manifest records beside its fixed fields: the settings that decided the snapshot's content, and the
     * label noise the final annotator model estimates (absent when no model was ever fitted).
     */
    private Map<String, String> properties(LabelNoise labelNoise) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("flink.job-id", jobId());
        p.put("curate.emit-after-votes", Integer.toString(config.emitAfterVotes()));
        p.put("curate.ambiguity-threshold", Double.toString(config.ambiguityThreshold()));
        p.put("curate.estimator.window-votes", Integer.toString(config.estimatorWindowVotes()));
        p.put("curate.estimator.refit-every-votes", Integer.toString(config.estimatorRefitEveryVotes()));
        p.put("curate.estimator.refit-interval", config.estimatorRefitInterval().toString());
        p.put("curate.estimator.max-time-share", Double.toString(config.estimatorMaxTimeShare()));
        p.put("curate.comparison-window", config.comparisonWindow().toString());
        p.put("curate.max-out-of-orderness", config.maxOutOfOrderness().toString());
        p.put("curate.dedupe-ttl", config.dedupeTtl().toString());
        p.put("curate.starting-offsets", config.startingOffsets().name());
        p.put("curate.parallelism", Integer.toString(config.parallelism()));
        p.put(SnapshotCutter.SCHEMA_PROPERTY, PreferencePair.getClassSchema().toString());
        if (labelNoise != null) {
            p.putAll(labelNoise.properties());
        }
        return p;
    }
}
