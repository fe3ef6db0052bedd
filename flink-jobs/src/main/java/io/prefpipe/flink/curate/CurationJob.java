package io.prefpipe.flink.curate;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.flink.kafka.SourcePlanner;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.schema.FeedbackEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the curation job on a local Flink MiniCluster bound to 127.0.0.1 ({@link #start}, {@link #run}), or submits it
 * to a Flink cluster ({@link #submit}; see {@code io.prefpipe.flink.cluster.CurationJobMain}).
 *
 * <pre>{@code
 * CurationJobConfig config = CurationJobConfig.builder()
 *         .setBootstrapServers("127.0.0.1:9092")
 *         .setSnapshotDir(Path.of("snapshots/2025-06-01"))
 *         .build();
 * CurationReport report = CurationJob.run(config, CurationProgressListener.logging());
 * }</pre>
 *
 * <p>Flink leaves non-daemon threads behind; a command-line {@code main} should end with {@code System.exit}, also
 * when the run failed.
 */
public final class CurationJob {
    /** Key groups of keyed state; fixed, so that a savepoint can be restored at another parallelism. */
    static final int MAX_PARALLELISM = 128;

    private static final Logger LOG = LoggerFactory.getLogger(CurationJob.class);

    private CurationJob() {}

    /**
     * Runs a bounded curation to the end and writes the snapshot.
     *
     * @throws IllegalArgumentException if {@code config} is not bounded
     * @throws CurationException if the run cannot start or fails
     */
    public static CurationReport run(CurationJobConfig config, CurationProgressListener listener) {
        if (!config.bounded()) {
            throw new IllegalArgumentException("run needs bounded=true; use start() for an unbounded run");
        }
        try (CurationRun run = start(config, listener)) {
            return run.awaitReport();
        }
    }

    /**
     * Starts a MiniCluster in this process, plans the offsets of both feedback topics (Avro and JSON), or, when
     * resuming, reuses the plan stored in the snapshot folder; creates the missing JSON and output topics, and submits
     * the job; returns once it is submitted. A bounded run's snapshot is written by {@link CurationRun#awaitReport()};
     * an unbounded run runs until cancelled or stopped with a savepoint.
     *
     * @throws CurationException if the snapshot folder is not empty (unless the run resumes) or cannot be created, the
     *     feedback topic is missing, or the job cannot be submitted
     */
    public static CurationRun start(CurationJobConfig config, CurationProgressListener listener) {
        return start(config, listener, null);
    }

    /** {@link #start(CurationJobConfig, CurationProgressListener)} with a probe on the valid events (see tests). */
    @VisibleForTesting
    static CurationRun start(CurationJobConfig config, CurationProgressListener listener,
            MapFunction<FeedbackEvent, FeedbackEvent> probe) {
        Path temporaryCheckpoints = config.checkpointDir() == null ? temporaryCheckpointDir() : null;
        Path checkpoints = temporaryCheckpoints != null ? temporaryCheckpoints : config.checkpointDir();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(),
                localConfiguration(config, checkpoints));
        if (config.resumeFrom() != null) {
            URI from = Locations.of(config.resumeFrom());
            listener.onResuming(from, restoredTransactions(config, from));
        }
        try {
            return submit(env, config, config.resumeFrom() != null, listener, probe, temporaryCheckpoints);
        } catch (RuntimeException e) {
            CurationRun.deleteQuietly(temporaryCheckpoints);
            throw e;
        }
    }

    /**
     * What became of the Kafka transactions the sinks of {@code config}'s job had pre-committed in {@code checkpoint}
     * (a retained checkpoint or a savepoint), as the brokers know them before the job resumes from it; empty (and
     * logged) if they cannot be listed or the checkpoint's id cannot be read, which need not stop the job.
     */
    public static Optional<RestoredTransactions> restoredTransactions(CurationJobConfig config, URI checkpoint) {
        try {
            return Optional.of(RestoredTransactions.of(config.bootstrapServers(), config.transactionalIdPrefix(),
                    RetainedCheckpoints.checkpointId(checkpoint)));
        } catch (IOException e) {
            LOG.warn("cannot tell what became of the Kafka transactions of {}: {}", checkpoint, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Plans and submits the job through {@code env}, whatever cluster it submits to (a session cluster's REST
     * endpoint, the cluster {@code flink run} or an application cluster gives the job's {@code main}); returns once it
     * is submitted. {@code env} must have been created with {@link #jobConfiguration} and a checkpoint folder that
     * every task manager can reach; everything else is as for {@link #start(CurationJobConfig,
     * CurationProgressListener)}.
     *
     * @param restoring whether the job restores its state from a checkpoint or savepoint given to {@code env} (then the
     *     snapshot folder may hold what the job wrote before, and its source plan is reused)
     * @throws CurationException as {@link #start(CurationJobConfig, CurationProgressListener)}
     */
    public static CurationRun submit(StreamExecutionEnvironment env, CurationJobConfig config, boolean restoring,
            CurationProgressListener listener) {
        return submit(env, config, restoring, listener, null, null);
    }

    private static CurationRun submit(StreamExecutionEnvironment env, CurationJobConfig config, boolean restoring,
            CurationProgressListener listener, MapFunction<FeedbackEvent, FeedbackEvent> probe,
            Path temporaryCheckpoints) {
        long startNanos = System.nanoTime();
        org.apache.flink.core.fs.Path snapshot = new org.apache.flink.core.fs.Path(config.snapshotLocation());
        prepareSnapshotDir(snapshot, restoring);
        SourcePlanner planner = new SourcePlanner(config.bootstrapServers());
        SourcePlan plan;
        try {
            plan = restoring ? SourcePlans.read(snapshot).orElse(null) : null;
            if (plan == null) {
                // The Avro topic is planned alone first: it must exist, and the topics created here take its shape.
                SourcePlan avro = planner.plan(List.of(config.feedbackTopic()), config.groupId(),
                        config.startingOffsets());
                if (config.createMissingTopics()) {
                    Topics.ensure(config.bootstrapServers(), List.of(config.feedbackJsonTopic(),
                                    config.deadLetterTopic(), config.pairsTopic(), config.annotatorsTopic()),
                            avro.partitions(), avro.replicationFactor());
                }
                plan = planner.plan(List.of(config.feedbackTopic(), config.feedbackJsonTopic()), config.groupId(),
                        config.startingOffsets());
                SourcePlans.write(snapshot, plan);
            }
        } catch (IllegalStateException e) {
            throw new CurationException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CurationException("cannot read or write the source plan in " + snapshot + ": " + e, e);
        }
        env.setParallelism(config.parallelism());
        CurationTopology.attach(env, config, plan, probe);
        JobClient client;
        try {
            client = env.executeAsync("prefpipe curate " + config.snapshotId());
        } catch (Exception e) {
            throw new CurationException("cannot submit the curation job: " + e.getMessage(), e);
        }
        CurationRun run = new CurationRun(config, plan, client, listener, planner, temporaryCheckpoints,
                Clock.systemUTC(), startNanos);
        listener.onStarted(run.jobId(), plan);
        return run;
    }

    /**
     * The settings the job sets for itself on any cluster: exactly-once checkpoints at the configured interval,
     * retained when the job is cancelled or fails, stored as files (the folder is the cluster's or the caller's), a
     * fixed maximum parallelism (so state can be restored at another parallelism), restarts from the latest checkpoint,
     * no Kryo.
     */
    public static Configuration jobConfiguration(CurationJobConfig config) {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // The default (job manager) storage caps a snapshot at 5 MB, which a few hundred thousand event ids exceed.
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // Keyed state is split into this many key groups once and for all; a savepoint restores at any parallelism
        // up to it.
        c.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        // Every type in the graph has a Flink serializer (Avro records, Java records, primitives); fail rather than
        // fall back to Kryo silently.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Counts and outputs are restored with the rest of the state (see FateCounters), so a restart loses nothing
        // and doubles nothing; a job that keeps failing still fails after a bounded number of attempts.
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.restartAttempts());
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay());
        return c;
    }

    /**
     * Checks the config's {@link CurationJobConfig#flinkSettings() Flink settings} before a local run.
     *
     * @throws IllegalArgumentException naming the first setting that is one the job sets itself
     */
    public static void checkFlinkSettings(CurationJobConfig config) {
        localConfiguration(config, Path.of("checkpoints"));
    }

    /**
     * The MiniCluster's settings: the {@link #jobConfiguration}, loopback only, checkpoints in a local folder, and the
     * config's {@link CurationJobConfig#flinkSettings() Flink settings}.
     *
     * @throws IllegalArgumentException if a Flink setting is one the job sets itself
     */
    static Configuration localConfiguration(CurationJobConfig config, Path checkpointDir) {
        Configuration c = jobConfiguration(config);
        bindToLoopback(c);
        // Tasks report accumulators to the job manager with their heartbeats (10 s by default); running counts are
        // read from there, so they are only as fresh as the last heartbeat.
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toAbsolutePath().toUri().toString());
        if (config.resumeFrom() != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, config.resumeFrom().toAbsolutePath().toUri().toString());
        }
        Configuration settings = Configuration.fromMap(config.flinkSettings());
        for (String key : settings.keySet()) {
            if (c.containsKey(key)) {
                throw new IllegalArgumentException("Flink setting '" + key + "' is one the curation job sets itself"
                        + " (from its own options, e.g. checkpoint-interval, or for exactly-once output); leave it out");
            }
        }
        c.addAll(settings);
        return c;
    }

    /**
     * Binds every endpoint of a MiniCluster configured by {@code c} to 127.0.0.1, its REST endpoint to a free port: a
     * local run neither listens on the machine's network nor collides with another on a fixed port.
     */
    public static void bindToLoopback(Configuration c) {
        String loopback = "127.0.0.1";
        c.set(RestOptions.BIND_ADDRESS, loopback);
        c.set(RestOptions.ADDRESS, loopback);
        c.set(RestOptions.BIND_PORT, "0");
        c.set(JobManagerOptions.ADDRESS, loopback);
        c.set(JobManagerOptions.BIND_HOST, loopback);
        c.set(TaskManagerOptions.HOST, loopback);
        c.set(TaskManagerOptions.BIND_HOST, loopback);
    }

    private static Path temporaryCheckpointDir() {
        try {
            return Files.createTempDirectory("prefpipe-checkpoints-");
        } catch (IOException e) {
            throw new CurationException("cannot create a temporary checkpoint folder: " + e, e);
        }
    }

    private static void prepareSnapshotDir(org.apache.flink.core.fs.Path dir, boolean restoring) {
        try {
            if (!restoring && !FlinkFiles.isAbsentOrEmpty(dir)) {
                throw new CurationException("snapshot folder " + dir
                        + " is not empty; a snapshot is written into a new or empty folder");
            }
            FlinkFiles.mkdirs(dir);
        } catch (IOException e) {
            throw new CurationException("cannot create snapshot folder " + dir + ": " + e, e);
        }
    }
}
