package io.prefpipe.flink.curate;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.ingestion.kafka.Topics;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.labeling.curate.ComparisonCurator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Every setting of the curation job as a typed option with its default and doc: the one list a CLI renders and parses
 * with {@link #toConfig(Map)}. {@link CurationJobConfig.Builder} takes its defaults from here. Durations are written
 * the Flink way ({@code 500 ms}, {@code 10 s}, {@code 5 min}, {@code 1 h}, {@code 7 d}).
 */
public final class CurationJobOptions {
    private CurationJobOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("bootstrap-servers").stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, e.g. 127.0.0.1:9092. Required.");
    public static final ConfigOption<String> FEEDBACK_TOPIC = key("feedback-topic").stringType().defaultValue("feedback")
            .withDescription("Topic of Avro FeedbackEvents to curate.");
    public static final ConfigOption<String> FEEDBACK_JSON_TOPIC = key("feedback-json-topic").stringType()
            .defaultValue(Topics.FEEDBACK_JSON)
            .withDescription("Topic of FeedbackEvents in prefpipe's JSON form (one object per message, UTF-8), "
                    + "curated exactly like the Avro ones, so that any Kafka client can publish feedback. Created "
                    + "like the output topics if missing.");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("dead-letter-topic").stringType()
            .defaultValue("feedback.dlq")
            .withDescription("Topic of DeadLetters for messages that are not valid events (stage 'curate').");
    public static final ConfigOption<String> PAIRS_TOPIC = key("pairs-topic").stringType().defaultValue("pairs")
            .withDescription("Topic of the curated PreferencePairs, written exactly once.");
    public static final ConfigOption<String> ANNOTATORS_TOPIC = key("annotators-topic").stringType()
            .defaultValue("annotators")
            .withDescription("Topic of AnnotatorEstimates, one per annotator per refit of the annotator model, keyed "
                    + "by annotator id and written exactly once.");
    public static final ConfigOption<String> GROUP_ID = key("group-id").stringType().defaultValue("prefpipe-curate")
            .withDescription("Consumer group whose offsets 'committed' starts from and a bounded run commits.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.EARLIEST)
            .withDescription("EARLIEST reads the whole topic; COMMITTED goes on from the group's committed offsets.");
    public static final ConfigOption<Boolean> BOUNDED = key("bounded").booleanType().defaultValue(true)
            .withDescription("Read up to the end offsets present at start, finish, and write the snapshot manifest. "
                    + "When false, run until cancelled.");
    public static final ConfigOption<String> SNAPSHOT_DIR = key("snapshot-dir").stringType().noDefaultValue()
            .withDescription("Folder the snapshot's Parquet files and manifest go to; must be absent or empty. A "
                    + "local path, or a URI on any Flink file system the cluster has (s3://bucket/snapshots/id, "
                    + "hdfs://namenode:8020/snapshots/id). Required.");
    public static final ConfigOption<String> SNAPSHOT_ID = key("snapshot-id").stringType().noDefaultValue()
            .withDescription("Id recorded in the manifest. Default: the snapshot folder's name.");
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism").intType().defaultValue(1)
            .withDescription("Parallelism of every operator.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval").durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Exactly-once checkpoint interval. Pairs become visible (Parquet files renamed, Kafka "
                    + "transactions committed) at checkpoints, and a bounded run ends at the next one.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint-dir").stringType().noDefaultValue()
            .withDescription("Folder of the job's checkpoints, retained when the job is cancelled, fails or its "
                    + "process is killed (see resume-from). In process: a local folder; default a temporary one, "
                    + "deleted when the run is closed. On a cluster: a URI such as s3://bucket/checkpoints; default "
                    + "the cluster's execution.checkpointing.dir.");
    public static final ConfigOption<Integer> EMIT_AFTER_VOTES = key("emit-after-votes").intType().defaultValue(3)
            .withDescription("A comparison is curated as soon as this many distinct events arrived for it.");
    public static final ConfigOption<Duration> COMPARISON_WINDOW = key("comparison-window").durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("A comparison is curated once the watermark passes its first event time plus this, "
                    + "with the votes it has.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = key("max-out-of-orderness").durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("How far event times may run behind the latest one before the watermark passes them.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS = key("source-idleness").durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A source split without events this long stops holding back the watermark.");
    public static final ConfigOption<Duration> DEDUPE_TTL = key("dedupe-ttl").durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("How long an event id is remembered to filter its redeliveries (processing time).");
    public static final ConfigOption<Duration> CLOSED_COMPARISON_TTL = key("closed-comparison-ttl").durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("How long a curated comparison stays closed, filtering later events as late "
                    + "(processing time).");
    public static final ConfigOption<String> AGGREGATOR = key("aggregator").stringType()
            .defaultValue(Aggregators.MAJORITY_VOTE)
            .withDescription("Label aggregator by name; known: " + Aggregators.names() + ". Each is refitted over "
                    + "recent votes for the annotators topic and the snapshot's label-noise estimate; all but mv also "
                    + "decide each comparison with their latest model (a comparison complete before the first waits for it).");
    public static final ConfigOption<Double> AMBIGUITY_THRESHOLD = key("ambiguity-threshold").doubleType()
            .defaultValue(ComparisonCurator.NO_AMBIGUITY_THRESHOLD)
            .withDescription("A decided pair whose posterior p(chosen over rejected) is below this is filtered as "
                    + "ambiguous; in [0.5, 1], and 0.5 keeps every decided pair.");
    public static final ConfigOption<Integer> ESTIMATOR_WINDOW_VOTES = key("estimator.window-votes").intType()
            .defaultValue(100_000)
            .withDescription("The annotator model is fitted on this many of the most recent pairwise votes (ties "
                    + "left out), kept in Flink state.");
    public static final ConfigOption<Integer> ESTIMATOR_REFIT_EVERY_VOTES = key("estimator.refit-every-votes")
            .intType().defaultValue(5_000)
            .withDescription("The annotator model is refitted after this many new pairwise votes; at most "
                    + "estimator.window-votes.");
    public static final ConfigOption<Duration> ESTIMATOR_REFIT_INTERVAL = key("estimator.refit-interval")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("The annotator model is refitted at the latest this long (processing time) after the "
                    + "first vote it has not seen. A bounded run also refits at the end of its input, before the "
                    + "comparisons still open are decided. Comparisons complete before the first fit wait for it, at "
                    + "most twice this long (then majority vote decides them).");
    public static final ConfigOption<Double> ESTIMATOR_MAX_TIME_SHARE = key("estimator.max-time-share")
            .doubleType().defaultValue(0.25)
            .withDescription("The largest share of its time the estimator spends refitting, so that a fast stream "
                    + "does not make it the job's bottleneck: after a fit that took t, the next one waits until "
                    + "t·(1/share − 1) has passed (unless estimator.refit-interval is up); in (0, 1], 1 for no limit.");
    public static final ConfigOption<Integer> MAX_RESPONSES = key("validation.max-responses").intType()
            .defaultValue(ValidationLimits.DEFAULTS.maxResponses())
            .withDescription("Most responses one event may carry.");
    public static final ConfigOption<Integer> MAX_PROMPT_CHARS = key("validation.max-prompt-chars").intType()
            .defaultValue(ValidationLimits.DEFAULTS.maxPromptChars())
            .withDescription("Longest prompt, in UTF-16 chars.");
    public static final ConfigOption<Integer> MAX_RESPONSE_CHARS = key("validation.max-response-chars").intType()
            .defaultValue(ValidationLimits.DEFAULTS.maxResponseChars())
            .withDescription("Longest response text, in UTF-16 chars.");
    public static final ConfigOption<Integer> MAX_ID_CHARS = key("validation.max-id-chars").intType()
            .defaultValue(ValidationLimits.DEFAULTS.maxIdChars())
            .withDescription("Longest id (event, comparison, response, annotator).");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("validation.max-future-skew").durationType()
            .defaultValue(ValidationLimits.DEFAULTS.maxFutureSkew())
            .withDescription("How far an event time may lie ahead of the clock.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("transactional-id-prefix").stringType()
            .defaultValue("prefpipe-curate")
            .withDescription("Prefix of the Kafka transactional ids of the exactly-once sinks; unique per job.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("transaction-timeout").durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("Producer transaction.timeout.ms of the sinks; must not exceed the brokers' "
                    + "transaction.max.timeout.ms (15 min by default) and must exceed the checkpoint interval.");
    public static final ConfigOption<Boolean> CREATE_MISSING_TOPICS = key("create-missing-topics").booleanType()
            .defaultValue(true)
            .withDescription("Create the JSON feedback, dead-letter, pairs and annotators topics if missing, with the "
                    + "feedback topic's "
                    + "partitions and replication and unlimited retention.");
    public static final ConfigOption<Duration> PROGRESS_INTERVAL = key("progress-interval").durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How often running counts are reported to the progress listener.");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = key("restart-attempts").intType().defaultValue(5)
            .withDescription("After a failure (a task error, the broker unreachable) the job restarts from its latest "
                    + "checkpoint up to this many times, then fails. Counts and outputs survive restarts.");
    public static final ConfigOption<Duration> RESTART_DELAY = key("restart-delay").durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("Pause before each restart.");
    public static final ConfigOption<String> RESUME_FROM = key("resume-from").stringType().noDefaultValue()
            .withDescription("A retained checkpoint (chk-N folder) or savepoint to restore the job from. The run "
                    + "writes on into its snapshot folder and reuses the source plan stored there. On a cluster, "
                    + "flink run -s SAVEPOINT does the same.");

    /** Every option, in declaration order. */
    public static List<ConfigOption<?>> all() {
        return List.of(BOOTSTRAP_SERVERS, FEEDBACK_TOPIC, FEEDBACK_JSON_TOPIC, DEAD_LETTER_TOPIC, PAIRS_TOPIC,
                ANNOTATORS_TOPIC, GROUP_ID, STARTING_OFFSETS, BOUNDED, SNAPSHOT_DIR, SNAPSHOT_ID, PARALLELISM,
                CHECKPOINT_INTERVAL, CHECKPOINT_DIR,
                EMIT_AFTER_VOTES, COMPARISON_WINDOW, MAX_OUT_OF_ORDERNESS, SOURCE_IDLENESS, DEDUPE_TTL,
                CLOSED_COMPARISON_TTL, AGGREGATOR, AMBIGUITY_THRESHOLD, ESTIMATOR_WINDOW_VOTES,
                ESTIMATOR_REFIT_EVERY_VOTES, ESTIMATOR_REFIT_INTERVAL, ESTIMATOR_MAX_TIME_SHARE, MAX_RESPONSES,
                MAX_PROMPT_CHARS,
                MAX_RESPONSE_CHARS, MAX_ID_CHARS, MAX_FUTURE_SKEW, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, CREATE_MISSING_TOPICS, PROGRESS_INTERVAL,
                RESTART_ATTEMPTS, RESTART_DELAY, RESUME_FROM);
    }

    /** The prefix of keys that are Flink settings of the local MiniCluster rather than options of the job. */
    public static final String FLINK_SETTING_PREFIX = "flink.";

    /**
     * Builds a config from string values keyed by option key; absent keys take their defaults. A key
     * {@code flink.<key>} is the Flink setting {@code <key>} (see {@link CurationJobConfig#flinkSettings()}).
     *
     * @throws IllegalArgumentException naming the key, if a key is unknown, a value does not parse, or a value is
     *     invalid
     */
    public static CurationJobConfig toConfig(Map<String, String> values) {
        Set<String> known = all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        unknown.removeIf(k -> k.startsWith(FLINK_SETTING_PREFIX));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown curation option(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
        Configuration c = Configuration.fromMap(values);
        CurationJobConfig.Builder b = CurationJobConfig.builder()
                .setFeedbackTopic(c.get(FEEDBACK_TOPIC))
                .setFeedbackJsonTopic(c.get(FEEDBACK_JSON_TOPIC))
                .setDeadLetterTopic(c.get(DEAD_LETTER_TOPIC))
                .setPairsTopic(c.get(PAIRS_TOPIC))
                .setAnnotatorsTopic(c.get(ANNOTATORS_TOPIC))
                .setGroupId(c.get(GROUP_ID))
                .setStartingOffsets(c.get(STARTING_OFFSETS))
                .setBounded(c.get(BOUNDED))
                .setParallelism(c.get(PARALLELISM))
                .setCheckpointInterval(c.get(CHECKPOINT_INTERVAL))
                .setEmitAfterVotes(c.get(EMIT_AFTER_VOTES))
                .setComparisonWindow(c.get(COMPARISON_WINDOW))
                .setMaxOutOfOrderness(c.get(MAX_OUT_OF_ORDERNESS))
                .setSourceIdleness(c.get(SOURCE_IDLENESS))
                .setDedupeTtl(c.get(DEDUPE_TTL))
                .setClosedComparisonTtl(c.get(CLOSED_COMPARISON_TTL))
                .setAggregator(c.get(AGGREGATOR))
                .setAmbiguityThreshold(c.get(AMBIGUITY_THRESHOLD))
                .setEstimatorWindowVotes(c.get(ESTIMATOR_WINDOW_VOTES))
                .setEstimatorRefitEveryVotes(c.get(ESTIMATOR_REFIT_EVERY_VOTES))
                .setEstimatorRefitInterval(c.get(ESTIMATOR_REFIT_INTERVAL))
                .setEstimatorMaxTimeShare(c.get(ESTIMATOR_MAX_TIME_SHARE))
                .setTransactionalIdPrefix(c.get(TRANSACTIONAL_ID_PREFIX))
                .setTransactionTimeout(c.get(TRANSACTION_TIMEOUT))
                .setCreateMissingTopics(c.get(CREATE_MISSING_TOPICS))
                .setProgressInterval(c.get(PROGRESS_INTERVAL))
                .setRestartAttempts(c.get(RESTART_ATTEMPTS))
                .setRestartDelay(c.get(RESTART_DELAY));
        c.getOptional(BOOTSTRAP_SERVERS).ifPresent(b::setBootstrapServers);
        c.getOptional(SNAPSHOT_DIR).ifPresent(d -> b.setSnapshotLocation(Locations.parse(SNAPSHOT_DIR.key(), d)));
        c.getOptional(SNAPSHOT_ID).ifPresent(b::setSnapshotId);
        c.getOptional(CHECKPOINT_DIR).ifPresent(d -> b.setCheckpointDir(localFolder(CHECKPOINT_DIR, d)));
        c.getOptional(RESUME_FROM).ifPresent(d -> b.setResumeFrom(localFolder(RESUME_FROM, d)));
        values.forEach((key, value) -> {
            if (key.startsWith(FLINK_SETTING_PREFIX)) {
                b.setFlinkSetting(key.substring(FLINK_SETTING_PREFIX.length()), value);
            }
        });
        b.setValidationLimits(new ValidationLimits(c.get(MAX_RESPONSES), c.get(MAX_PROMPT_CHARS),
                c.get(MAX_RESPONSE_CHARS), c.get(MAX_ID_CHARS), c.get(MAX_FUTURE_SKEW)));
        return b.build();
    }

    /** A folder of a run in this process, which keeps checkpoints on the local file system. */
    private static Path localFolder(ConfigOption<String> option, String text) {
        return Locations.local(Locations.parse(option.key(), text)).orElseThrow(() -> new IllegalArgumentException(
                option.key() + " must be a local folder for a run in this process, got '" + text + "'; a job on a "
                        + "cluster takes a URI here (see CurationJobMain)"));
    }
}
