package io.prefpipe.flink.cluster;

import io.prefpipe.flink.curate.CurationException;
import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.curate.RetainedCheckpoints;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job jar's main class: runs the curation job on the cluster it is submitted to.
 *
 * <pre>{@code
 * flink run prefpipe-flink-jobs.jar --bootstrap kafka-1:9092 --snapshots s3://bucket/snapshots --bounded
 * flink run -d prefpipe-flink-jobs.jar --config curate.yaml --bounded false --snapshot-id live
 * flink run -s s3://bucket/savepoints/savepoint-1a2b prefpipe-flink-jobs.jar --config curate.yaml ...
 * }</pre>
 *
 * <p>Options are those of {@link CurationJobOptions} (see {@code --help}, and {@link JobArguments} for the
 * configuration file). Flink's own settings come from the cluster and from {@code flink run} ({@code -p} sets the
 * parallelism unless {@code --parallelism} is given, {@code -s} restores from a savepoint, {@code -D} sets anything
 * else); the job adds its own (exactly-once checkpoints, retained on cancellation, fixed maximum parallelism, restart
 * strategy; see {@link CurationJob#jobConfiguration}). Checkpoints need a folder every task manager can reach:
 * {@code --checkpoint-dir}, or the cluster's {@code execution.checkpointing.dir}.
 *
 * <p>A bounded run waits for its job, then writes the snapshot's manifest and commits the offsets (so even with
 * {@code flink run -d} the client stays until the job ends) and prints the counts. An unbounded job keeps running;
 * the client waits for it only when attached ({@code flink run} without {@code -d}).
 *
 * <p>Never calls {@code System.exit}: in an application cluster this code runs in the job manager.
 */
public final class CurationJobMain {
    /**
     * The snapshot folder's record of the Flink job writing into it. An application cluster with high availability
     * (e.g. under the Kubernetes operator) runs {@code main} again after a job manager failover, with the same fixed
     * job id; Flink then recovers the running job rather than submitting a new one, and this record tells {@code main}
     * that the folder is that job's, not another's to be refused.
     */
    static final String JOB_ID_FILE = "_flink-job-id";

    private CurationJobMain() {}

    /**
     * @throws IllegalArgumentException naming the option, if an option or the configuration is invalid
     * @throws io.prefpipe.flink.curate.CurationException if the job cannot start or fails
     */
    public static void main(String[] args) {
        run(Instant.now(), System.out, args);
    }

    /**
     * Parses {@code args} and runs the job through {@link StreamExecutionEnvironment#getExecutionEnvironment}, i.e. on
     * the cluster of the surrounding {@code flink run}, or a local one outside of it.
     *
     * @return the report of a bounded run; empty after {@code --help} and for an unbounded job
     */
    static Optional<CurationReport> run(Instant now, PrintStream out, String... args) {
        JobArguments arguments = JobArguments.parse(now, args);
        if (arguments.help()) {
            out.print(JobArguments.usage());
            return Optional.empty();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, String> options = new HashMap<>(arguments.options());
        // without --parallelism, flink run -p or the cluster's parallelism.default decides
        if (!options.containsKey(CurationJobOptions.PARALLELISM.key()) && env.getParallelism() > 0) {
            options.put(CurationJobOptions.PARALLELISM.key(), Integer.toString(env.getParallelism()));
        }
        CurationJobConfig config = CurationJobOptions.toConfig(options);

        Configuration jobConfiguration = CurationJob.jobConfiguration(config);
        arguments.checkpointDir().ifPresent(d -> jobConfiguration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                d.toString()));
        arguments.resumeFrom().ifPresent(d -> jobConfiguration.set(StateRecoveryOptions.SAVEPOINT_PATH,
                d.toString()));
        ReadableConfig cluster = env.getConfiguration();
        if (arguments.checkpointDir().isEmpty()
                && cluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            throw new IllegalArgumentException(CurationJobOptions.CHECKPOINT_DIR.key() + " is required: exactly-once "
                    + "output needs durable checkpoints in a folder every task manager can reach; give "
                    + "--checkpoint-dir URI or set execution.checkpointing.dir in the cluster's configuration");
        }
        env.configure(jobConfiguration);
        Path jobIdFile = new Path(new Path(config.snapshotLocation()), JOB_ID_FILE);
        Optional<String> fixedJobId = cluster.getOptional(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID);
        Optional<URI> restoreFrom = arguments.resumeFrom()
                .or(() -> cluster.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).map(URI::create));
        boolean failover = restoreFrom.isEmpty()
                && fixedJobId.isPresent() && fixedJobId.equals(recordedJobId(jobIdFile));
        boolean restoring = restoreFrom.isPresent() || failover;
        boolean attached = cluster.get(DeploymentOptions.ATTACHED);
        CurationProgressListener listener = CurationProgressListener.logging();
        Optional<URI> resumesFrom = failover
                ? failoverCheckpoint(out, arguments.checkpointDir().orElseGet(() -> Locations.parse(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                        cluster.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))), fixedJobId.get())
                : restoreFrom;
        resumesFrom.ifPresent(from -> listener.andThen(CurationProgressListener.printingResumes(out, ""))
                .onResuming(from, CurationJob.restoredTransactions(config, from)));

        CurationRun run = CurationJob.submit(env, config, restoring, listener);
        record(jobIdFile, run.jobId());
        out.printf("curation job %s submitted: %s -> %s (parallelism %d%s)%n", run.jobId(),
                String.join(", ", run.plan().topics()), config.snapshotLocation(), config.parallelism(),
                restoring ? ", restored" : "");
        if (config.bounded()) {
            try (run) {
                CurationReport report = run.awaitReport();
                printSummary(out, report);
                return Optional.of(report);
            }
        }
        if (attached) {
            run.awaitTermination();
        } else {
            run.detach();
        }
        return Optional.empty();
    }

    /**
     * Where the cluster recovers job {@code jobId} from after a job manager failover: its latest complete checkpoint,
     * said to {@code out} (and empty, said too, if it has none, or they cannot be listed, which need not stop it).
     */
    static Optional<URI> failoverCheckpoint(PrintStream out, URI checkpointDir, String jobId) {
        try {
            Optional<URI> latest = RetainedCheckpoints.latestOfJob(checkpointDir, jobId);
            out.printf("curation job %s recovers after a job manager failover, %s%n", jobId, latest
                    .map(c -> "from its latest complete checkpoint")
                    .orElse("with no complete checkpoint in " + Locations.display(checkpointDir) + " to restore"));
            return latest;
        } catch (IOException e) {
            out.printf("curation job %s recovers after a job manager failover; its checkpoints in %s cannot be listed:"
                    + " %s%n", jobId, Locations.display(checkpointDir), e.getMessage());
            return Optional.empty();
        }
    }

    /** The id of the job that last wrote into the snapshot folder, if recorded. */
    private static Optional<String> recordedJobId(Path file) {
        try {
            return FlinkFiles.exists(file)
                    ? Optional.of(FlinkFiles.read(file, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                    : Optional.empty();
        } catch (IOException e) {
            throw new CurationException("cannot read " + file + ": " + e, e);
        }
    }

    private static void record(Path file, String jobId) {
        try {
            FlinkFiles.writeAtomically(file, out -> out.write(jobId.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new CurationException("curation job " + jobId + " is submitted, but its id cannot be recorded in "
                    + file + ": " + e, e);
        }
    }

    private static void printSummary(PrintStream out, CurationReport r) {
        SnapshotManifest.Counts c = r.counts();
        out.printf("events in %d = curated %d + filtered %d + dead-lettered %d  [%s]%n", c.eventsIn(),
                c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal(), c.reconciles() ? "reconciled" : "MISMATCH");
        out.printf("  events in by topic      %s%n", r.eventsInByTopic());
        out.printf("  filtered by reason      %s%n", c.filtered());
        out.printf("  dead-lettered by reason %s%n", c.deadLettered());
        out.printf("%d pairs in %d Parquet file(s); manifest %s/%s; %.1f s%n", c.pairs(), r.manifest().files().size(),
                r.snapshotLocation(), SnapshotManifest.FILE_NAME, r.elapsed().toMillis() / 1000.0);
        Map<String, String> p = r.manifest().properties();
        if (p.containsKey(LabelNoise.METHOD)) {
            out.printf("label noise (%s, final model): judgement flip rate %s, decided-label error rate %s%n",
                    p.get(LabelNoise.METHOD), p.get(LabelNoise.JUDGEMENT_FLIP_RATE),
                    p.get(LabelNoise.DECIDED_ERROR_RATE));
        }
    }
}
