package io.prefpipe.app;

import io.prefpipe.flink.curate.CurationJob;
import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.curate.CurationProgressListener;
import io.prefpipe.flink.curate.CurationReport;
import io.prefpipe.flink.curate.CurationRun;
import io.prefpipe.flink.curate.LabelNoise;
import io.prefpipe.flink.curate.RetainedCheckpoints;
import io.prefpipe.flink.kafka.SourcePlan;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;
import sun.misc.Signal;

/** Runs the Flink curation job against a Kafka cluster. */
@Command(
        name = "curate",
        header = "Runs the streaming curation job into Parquet snapshots.",
        mixinStandardHelpOptions = true,
        defaultValueProvider = CurateCommand.Defaults.class,
        description = {
            "Runs the streaming curation job on a local Flink MiniCluster: reads feedback from the Avro topic and the",
            "JSON topic (--json-topic), dead-letters invalid events, deduplicates, aggregates each comparison's votes",
            "and writes curated pairs exactly once to Parquet under --out and to the pairs topic. The --aggregator is",
            "refitted over recent votes now and then; its per-annotator estimates go to the annotators topic, and all",
            "but mv decide comparisons with the latest fit.",
            "With --bounded it stops at the offsets present at start, writes the snapshot manifest (with the final",
            "model's label-noise estimate) and prints the counts; without it, it runs until stopped."
        })
final class CurateCommand implements Callable<Integer> {
    private static final DateTimeFormatter SNAPSHOT_ID =
            DateTimeFormatter.ofPattern("'snapshot-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Mixin KafkaOptions kafka;

    @Mixin TopicOptions topics;

    @Option(names = "--out", required = true, description = "Folder that receives the snapshot folder.")
    Path out;

    @Option(names = "--json-topic", description = "Topic of feedback events in prefpipe's JSON form, curated like the Avro"
                    + " ones (default: ${DEFAULT-VALUE}).")
    String jsonTopic;

    @Option(names = "--bounded", description = "Stop at the end offsets present at start and write the snapshot manifest.")
    boolean bounded;

    @Option(names = "--group-id", description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--aggregator", description = "Label aggregator: mv (majority vote), wawa, ds (Dawid-Skene), ds-position (Dawid-Skene per"
                    + " display order) or glad (default: ${DEFAULT-VALUE}).")
    String aggregator;

    @Option(names = "--ambiguity-threshold", description = "Filter a decided pair as ambiguous when its posterior p(chosen over rejected) is below this;"
                    + " 0.5 to 1 (default: ${DEFAULT-VALUE}, keeps every decided pair).")
    double ambiguityThreshold;

    @Option(names = "--annotators-topic", description = "Topic of per-annotator estimates (default: ${DEFAULT-VALUE}).")
    String annotatorsTopic;

    @Option(names = "--window-votes", description = "Fit the annotator model on this many of the latest pairwise votes"
                    + " (default: ${DEFAULT-VALUE}).")
    int windowVotes;

    @Option(names = "--refit-every-votes", description = "Refit the annotator model after this many new votes (default: ${DEFAULT-VALUE}).")
    int refitEveryVotes;

    @Option(names = "--refit-interval-seconds", description = "...or at the latest this many seconds after the first vote it has not seen (default:"
                    + " ${DEFAULT-VALUE}).")
    long refitIntervalSeconds;

    @Option(names = "--refit-time-share", description = "Spend at most this share of the estimator's time refitting:"
                    + " after a fit that took t, the next one by vote count waits t·(1/share − 1); 1 for no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    double refitTimeShare;

    @Option(names = "--emit-after-votes", description = "Decide a comparison once it has this many votes (default: ${DEFAULT-VALUE}); otherwise when"
                    + " its event-time window closes.")
    int emitAfterVotes;

    @Option(names = "--parallelism", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--snapshot-id", description = "Name of the snapshot folder under --out (default: snapshot-<UTC time>);"
                    + " give the same one with --resume.")
    String snapshotId;

    @Option(names = "--checkpoint-dir", description = "Keep the job's checkpoints here; they are retained when the job"
                    + " is cancelled, fails or its process is killed (default: a temporary folder).")
    Path checkpointDir;

    @Option(names = "--resume", description = "Restore the job from the latest checkpoint retained in --checkpoint-dir"
                    + " and go on writing into --out/--snapshot-id.")
    boolean resume;

    @Option(names = {"-D", "--flink-setting"}, paramLabel = "KEY=VALUE", description = "A Flink configuration key of"
            + " the local MiniCluster, as flink run -D takes it, e.g. -D state.backend.type=rocksdb"
            + " -D execution.checkpointing.incremental=true for dedupe marks larger than the heap; repeatable. Keys"
            + " the job sets itself are refused.")
    Map<String, String> flinkSettings = new LinkedHashMap<>();

    @Option(names = "--resume-from", description = "Restore the job from this retained checkpoint (chk-N folder) or"
                    + " savepoint, e.g. at another --parallelism.")
    Path resumeFrom;

    @Option(names = "--savepoint-dir", description = "Without --bounded: on Ctrl-C (SIGINT) or SIGTERM, stop the job"
            + " with a savepoint in this folder instead of cancelling it. Unlike a retained checkpoint, a savepoint"
            + " restores (--resume-from) into another state backend (-D state.backend.type=rocksdb) and another"
            + " prefpipe version. A second signal while it is taken cancels the job.")
    Path savepointDir;

    /** Takes the job settings' defaults from {@link CurationJobOptions}, where each is declared once. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            return switch (option.longestName()) {
                case "--group-id" -> text(CurationJobOptions.GROUP_ID);
                case "--json-topic" -> text(CurationJobOptions.FEEDBACK_JSON_TOPIC);
                case "--aggregator" -> text(CurationJobOptions.AGGREGATOR);
                case "--ambiguity-threshold" -> text(CurationJobOptions.AMBIGUITY_THRESHOLD);
                case "--annotators-topic" -> text(CurationJobOptions.ANNOTATORS_TOPIC);
                case "--window-votes" -> text(CurationJobOptions.ESTIMATOR_WINDOW_VOTES);
                case "--refit-every-votes" -> text(CurationJobOptions.ESTIMATOR_REFIT_EVERY_VOTES);
                case "--refit-interval-seconds" ->
                        Long.toString(CurationJobOptions.ESTIMATOR_REFIT_INTERVAL.defaultValue().toSeconds());
                case "--refit-time-share" -> text(CurationJobOptions.ESTIMATOR_MAX_TIME_SHARE);
                case "--emit-after-votes" -> text(CurationJobOptions.EMIT_AFTER_VOTES);
                case "--parallelism" -> text(CurationJobOptions.PARALLELISM);
                default -> null;
            };
        }

        private static String text(ConfigOption<?> option) {
            return String.valueOf(option.defaultValue());
        }
    }

    /**
     * The job configuration these options describe.
     *
     * @throws ParameterException if {@code --resume} lacks {@code --checkpoint-dir} or {@code --snapshot-id}, or
     *     finds no retained checkpoint, or an option's value is invalid
     */
    CurationJobConfig config() throws IOException {
        Path restoreFrom = resumeFrom;
        if (bounded && savepointDir != null) {
            throw new ParameterException(new CommandLine(this),
                    "--savepoint-dir is for a run without --bounded; a bounded run ends by itself with its snapshot");
        }
        if (resume) {
            if (checkpointDir == null || snapshotId == null) {
                throw new ParameterException(new CommandLine(this),
                        "--resume needs --checkpoint-dir and the --snapshot-id of the run it resumes");
            }
            restoreFrom = RetainedCheckpoints.latest(checkpointDir).orElseThrow(() -> new ParameterException(
                    new CommandLine(this), "no complete checkpoint in --checkpoint-dir " + checkpointDir));
        }
        String id = snapshotId != null ? snapshotId : SNAPSHOT_ID.format(Instant.now());
        CurationJobConfig.Builder builder = CurationJobConfig.builder()
                .setBootstrapServers(kafka.bootstrap)
                .setFeedbackTopic(topics.feedback)
                .setFeedbackJsonTopic(jsonTopic)
                .setDeadLetterTopic(topics.deadLetters)
                .setPairsTopic(topics.pairs)
                .setGroupId(groupId)
                .setBounded(bounded)
                .setSnapshotDir(out.resolve(id))
                .setSnapshotId(id)
                .setCheckpointDir(checkpointDir)
                .setResumeFrom(restoreFrom)
                .setAnnotatorsTopic(annotatorsTopic)
                .setAggregator(aggregator)
                .setAmbiguityThreshold(ambiguityThreshold)
                .setEstimatorWindowVotes(windowVotes)
                .setEstimatorRefitEveryVotes(refitEveryVotes)
                .setEstimatorRefitInterval(Duration.ofSeconds(refitIntervalSeconds))
                .setEstimatorMaxTimeShare(refitTimeShare)
                .setEmitAfterVotes(emitAfterVotes)
                .setParallelism(parallelism);
        flinkSettings.forEach(builder::setFlinkSetting);
        try {
            CurationJobConfig config = builder.build();
            CurationJob.checkFlinkSettings(config);
            return config;
        } catch (IllegalArgumentException e) {
            // the options' values, checked where they are defined; an error names the option and the reason
            throw new ParameterException(new CommandLine(this), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        CurationJobConfig config = config();
        CurationProgressListener progress = new CurationProgressListener() {
            @Override
            public void onStarted(String jobId, SourcePlan plan) {
                System.out.printf("curation job %s reading %s (%d partitions)%n", jobId, String.join(", ", plan.topics()), plan.partitions());
            }

            @Override
            public void onProgress(SnapshotManifest.Counts c, Duration elapsed) {
                System.out.printf("... %ds: %d events in, %d curated, %d filtered, %d dead-lettered, %d pairs%n",
                        elapsed.toSeconds(), c.eventsIn(), c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal(),
                        c.pairs());
            }
        }.andThen(CurationProgressListener.printingResumes(System.out, ""));
        // planning reads the topics' offsets first: up to a minute on a broker that does not answer
        System.out.printf("curating %s on %s into %s (%s) ...%n",
                String.join(", ", config.feedbackTopic(), config.feedbackJsonTopic()), config.bootstrapServers(),
                config.snapshotLocation(), bounded ? "bounded" : "until stopped");
        if (!bounded) {
            CurationRun run = CurationJob.start(config, progress);
            System.out.println("curating until stopped (Ctrl-C); pairs are committed under " + config.snapshotDir()
                    + "; ./prefpipe snapshot cut --job-dir " + config.snapshotDir() + " cuts a snapshot");
            Runtime.getRuntime().addShutdownHook(new Thread(run::close, "prefpipe-curate-shutdown"));
            if (savepointDir == null) {
                run.awaitTermination();
                return 0;
            }
            return untilStopSignal(run);
        }
        CurationReport r = CurationJob.run(config, progress);
        SnapshotManifest.Counts c = r.counts();
        System.out.printf("events in %d = curated %d + filtered %d + dead-lettered %d  [%s]%n", c.eventsIn(),
                c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal(), c.reconciles() ? "reconciled" : "MISMATCH");
        System.out.printf("  events in by topic      %s%n", r.eventsInByTopic());
        System.out.printf("  filtered by reason      %s%n", c.filtered());
        System.out.printf("  dead-lettered by reason %s%n", c.deadLettered());
        System.out.printf("%d pairs in %d Parquet file(s); manifest %s; %.1f s%n", c.pairs(), r.manifest().files().size(),
                r.snapshotDir().resolve(SnapshotManifest.FILE_NAME), r.elapsed().toMillis() / 1000.0);
        Map<String, String> p = r.manifest().properties();
        if (p.containsKey(LabelNoise.METHOD)) {
            System.out.printf("label noise (%s, final model): judgement flip rate %s, decided-label error rate %s%n",
                    p.get(LabelNoise.METHOD), p.get(LabelNoise.JUDGEMENT_FLIP_RATE),
                    p.get(LabelNoise.DECIDED_ERROR_RATE));
        }
        return c.reconciles() ? 0 : 1;
    }

    /**
     * Runs until SIGINT or SIGTERM, then stops the job with a savepoint in {@link #savepointDir}. The signals are
     * taken from the JVM's shutdown, which would cancel the job, through {@code sun.misc.Signal}, as Flink's and
     * Kafka's own signal loggers take them; a second one exits, and the shutdown hook cancels the job.
     */
    private int untilStopSignal(CurationRun run) {
        CompletableFuture<String> stop = new CompletableFuture<>();
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> {
                if (!stop.complete("SIG" + signal.getName())) {
                    System.out.println("SIG" + signal.getName() + " again: cancelling the job instead");
                    System.exit(128 + signal.getNumber());
                }
            });
        }
        System.out.println("Ctrl-C (or SIGTERM) stops the job with a savepoint in " + savepointDir);
        CompletableFuture<Void> ended = CompletableFuture.runAsync(run::awaitTermination);
        CompletableFuture.anyOf(stop, ended.exceptionally(failure -> null)).join();
        if (!stop.isDone()) {
            // the job ended on its own; awaitTermination throws its failure, if any
            run.awaitTermination();
            return 0;
        }
        System.out.printf("%s: stopping the job with a savepoint in %s (a second signal cancels it) ...%n",
                stop.join(), savepointDir);
        Path savepoint = run.stopWithSavepoint(savepointDir);
        SnapshotManifest.Counts c = run.counts();
        System.out.printf("waiting at start %d + events in %d = curated %d + filtered %d + dead-lettered %d + waiting"
                + " in the savepoint %d  [%s]; %d pairs committed%n", c.openAtStart(), c.eventsIn(),
                c.curatedEvents(), c.filteredTotal(), c.deadLetteredTotal(), c.openAtEnd(),
                c.reconciles() ? "reconciled" : "MISMATCH", c.pairs());
        System.out.println("savepoint " + savepoint);
        System.out.println("  go on from it with --resume-from " + savepoint + " and the same --out and --snapshot-id"
                + " (also at another --parallelism or -D state.backend.type)");
        return c.reconciles() ? 0 : 1;
    }
}
