package io.prefpipe.flink.curate;

import static io.prefpipe.flink.curate.CurationJobOptions.AGGREGATOR;
import static io.prefpipe.flink.curate.CurationJobOptions.AMBIGUITY_THRESHOLD;
import static io.prefpipe.flink.curate.CurationJobOptions.ANNOTATORS_TOPIC;
import static io.prefpipe.flink.curate.CurationJobOptions.BOUNDED;
import static io.prefpipe.flink.curate.CurationJobOptions.CHECKPOINT_INTERVAL;
import static io.prefpipe.flink.curate.CurationJobOptions.CLOSED_COMPARISON_TTL;
import static io.prefpipe.flink.curate.CurationJobOptions.COMPARISON_WINDOW;
import static io.prefpipe.flink.curate.CurationJobOptions.CREATE_MISSING_TOPICS;
import static io.prefpipe.flink.curate.CurationJobOptions.DEAD_LETTER_TOPIC;
import static io.prefpipe.flink.curate.CurationJobOptions.DEDUPE_TTL;
import static io.prefpipe.flink.curate.CurationJobOptions.EMIT_AFTER_VOTES;
import static io.prefpipe.flink.curate.CurationJobOptions.ESTIMATOR_REFIT_EVERY_VOTES;
import static io.prefpipe.flink.curate.CurationJobOptions.ESTIMATOR_MAX_TIME_SHARE;
import static io.prefpipe.flink.curate.CurationJobOptions.ESTIMATOR_REFIT_INTERVAL;
import static io.prefpipe.flink.curate.CurationJobOptions.ESTIMATOR_WINDOW_VOTES;
import static io.prefpipe.flink.curate.CurationJobOptions.FEEDBACK_JSON_TOPIC;
import static io.prefpipe.flink.curate.CurationJobOptions.FEEDBACK_TOPIC;
import static io.prefpipe.flink.curate.CurationJobOptions.GROUP_ID;
import static io.prefpipe.flink.curate.CurationJobOptions.MAX_OUT_OF_ORDERNESS;
import static io.prefpipe.flink.curate.CurationJobOptions.PAIRS_TOPIC;
import static io.prefpipe.flink.curate.CurationJobOptions.PARALLELISM;
import static io.prefpipe.flink.curate.CurationJobOptions.PROGRESS_INTERVAL;
import static io.prefpipe.flink.curate.CurationJobOptions.RESTART_ATTEMPTS;
import static io.prefpipe.flink.curate.CurationJobOptions.RESTART_DELAY;
import static io.prefpipe.flink.curate.CurationJobOptions.SOURCE_IDLENESS;
import static io.prefpipe.flink.curate.CurationJobOptions.STARTING_OFFSETS;
import static io.prefpipe.flink.curate.CurationJobOptions.TRANSACTIONAL_ID_PREFIX;
import static io.prefpipe.flink.curate.CurationJobOptions.TRANSACTION_TIMEOUT;

import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.kafka.StartingOffsets;
import io.prefpipe.ingestion.validate.ValidationLimits;
import io.prefpipe.labeling.aggregate.PairwiseVoteWindow;
import io.prefpipe.labeling.curate.ComparisonCurator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a curation run needs. Each field is checked on construction and a bad one is named in the message; see
 * {@link CurationJobOptions} for what each means and its default.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param feedbackTopic topic of Avro feedback events
 * @param feedbackJsonTopic topic of feedback events in prefpipe's JSON form
 * @param deadLetterTopic topic of dead letters
 * @param pairsTopic topic of curated pairs
 * @param annotatorsTopic topic of annotator estimates
 * @param groupId consumer group for committed offsets
 * @param startingOffsets where reading starts
 * @param bounded whether the run reads up to the end offsets present at start and then finishes
 * @param snapshotLocation folder of the snapshot's Parquet files and manifest, on any Flink file system: an absolute
 *     {@code file:} URI for a local folder (see {@link #snapshotDir()}), or e.g. {@code s3://bucket/snapshots/id}
 * @param snapshotId id recorded in the manifest
 * @param parallelism parallelism of every operator
 * @param checkpointInterval exactly-once checkpoint interval
 * @param checkpointDir folder of the checkpoints, or {@code null} for a temporary one deleted when the run is closed
 * @param emitAfterVotes events after which a comparison is curated
 * @param comparisonWindow event time after a comparison's first event when it is curated regardless
 * @param maxOutOfOrderness how far event times may run behind the latest one
 * @param sourceIdleness time without events after which a source split is idle
 * @param dedupeTtl how long event ids are remembered
 * @param closedComparisonTtl how long a curated comparison stays closed
 * @param aggregator label aggregator name
 * @param ambiguityThreshold posterior below which a decided pair is filtered as ambiguous
 * @param estimatorWindowVotes pairwise votes the annotator model is fitted on, the most recent ones
 * @param estimatorRefitEveryVotes new votes after which the annotator model is refitted
 * @param estimatorRefitInterval time after the first vote not yet fitted when the annotator model is refitted
 * @param estimatorMaxTimeShare the largest share of its time the estimator spends refitting: after a fit that took t,
 *     the next waits until t·(1/share − 1) has passed, unless the refit interval is up; in (0, 1], 1 for no limit
 * @param validationLimits limits every event must respect
 * @param transactionalIdPrefix prefix of the sinks' Kafka transactional ids
 * @param transactionTimeout Kafka producer transaction timeout of the sinks
 * @param createMissingTopics whether to create the dead-letter and pairs topics if missing
 * @param progressInterval how often running counts are reported
 * @param restartAttempts restarts from the latest checkpoint after a failure before the job fails for good
 * @param restartDelay pause before each restart
 * @param flinkSettings Flink configuration for the local MiniCluster, by key (e.g. {@code state.backend.type}); none
 *     of the keys the job sets itself (see {@link CurationJob#jobConfiguration}); a cluster run takes the cluster's
 * @param resumeFrom a retained checkpoint or savepoint to restore the job's state from, or {@code null} to start
 *     afresh; a resumed run writes into its (non-empty) snapshot folder and reuses the source plan stored there
 */
public record CurationJobConfig(
        String bootstrapServers,
        String feedbackTopic,
        String feedbackJsonTopic,
        String deadLetterTopic,
        String pairsTopic,
        String annotatorsTopic,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        URI snapshotLocation,
        String snapshotId,
        int parallelism,
        Duration checkpointInterval,
        Path checkpointDir,
        int emitAfterVotes,
        Duration comparisonWindow,
        Duration maxOutOfOrderness,
        Duration sourceIdleness,
        Duration dedupeTtl,
        Duration closedComparisonTtl,
        String aggregator,
        double ambiguityThreshold,
        int estimatorWindowVotes,
        int estimatorRefitEveryVotes,
        Duration estimatorRefitInterval,
        double estimatorMaxTimeShare,
        ValidationLimits validationLimits,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        boolean createMissingTopics,
        Duration progressInterval,
        int restartAttempts,
        Duration restartDelay,
        Map<String, String> flinkSettings,
        Path resumeFrom) {

    public CurationJobConfig {
        requireText("bootstrapServers", bootstrapServers);
        requireText("feedbackTopic", feedbackTopic);
        requireText("feedbackJsonTopic", feedbackJsonTopic);
        requireText("deadLetterTopic", deadLetterTopic);
        requireText("pairsTopic", pairsTopic);
        requireText("annotatorsTopic", annotatorsTopic);
        requireText("groupId", groupId);
        requirePresent("startingOffsets", startingOffsets);
        requirePresent("snapshotLocation", snapshotLocation);
        if (!snapshotLocation.isAbsolute()) {
            throw new IllegalArgumentException("snapshotLocation must be an absolute URI (with a scheme such as file:, "
                    + "s3: or hdfs:), got " + snapshotLocation);
        }
        requireText("snapshotId", snapshotId);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        requireAtLeast("checkpointInterval", checkpointInterval, Duration.ofMillis(10));
        if (emitAfterVotes < 1) {
            throw new IllegalArgumentException("emitAfterVotes must be >= 1, got " + emitAfterVotes);
        }
        requireAtLeast("comparisonWindow", comparisonWindow, Duration.ofMillis(1));
        requireAtLeast("maxOutOfOrderness", maxOutOfOrderness, Duration.ZERO);
        requireAtLeast("sourceIdleness", sourceIdleness, Duration.ofMillis(1));
        requireAtLeast("dedupeTtl", dedupeTtl, Duration.ofMillis(1));
        requireAtLeast("closedComparisonTtl", closedComparisonTtl, Duration.ofMillis(1));
        requirePresent("aggregator", aggregator);
        if (!Aggregators.names().contains(aggregator)) {
            throw new IllegalArgumentException("aggregator '" + aggregator + "' is unknown; known: "
                    + Aggregators.names());
        }
        if (!(ambiguityThreshold >= ComparisonCurator.NO_AMBIGUITY_THRESHOLD && ambiguityThreshold <= 1)) {
            throw new IllegalArgumentException("ambiguityThreshold must be in [0.5, 1], got " + ambiguityThreshold);
        }
        if (estimatorWindowVotes < 1) {
            throw new IllegalArgumentException("estimatorWindowVotes must be >= 1, got " + estimatorWindowVotes);
        }
        if (estimatorWindowVotes > PairwiseVoteWindow.MAX_CAPACITY) {
            throw new IllegalArgumentException("estimatorWindowVotes must be at most " + PairwiseVoteWindow.MAX_CAPACITY
                    + ", got " + estimatorWindowVotes);
        }
        if (estimatorRefitEveryVotes < 1) {
            throw new IllegalArgumentException("estimatorRefitEveryVotes must be >= 1, got "
                    + estimatorRefitEveryVotes);
        }
        requireAtLeast("estimatorRefitInterval", estimatorRefitInterval, Duration.ofMillis(10));
        if (!(estimatorMaxTimeShare > 0 && estimatorMaxTimeShare <= 1)) {
            throw new IllegalArgumentException("estimatorMaxTimeShare must be in (0, 1], got " + estimatorMaxTimeShare);
        }
        requirePresent("validationLimits", validationLimits);
        requireText("transactionalIdPrefix", transactionalIdPrefix);
        requireAtLeast("transactionTimeout", transactionTimeout, Duration.ofSeconds(1));
        requireAtLeast("progressInterval", progressInterval, Duration.ofMillis(10));
        if (restartAttempts < 0) {
            throw new IllegalArgumentException("restartAttempts must be >= 0, got " + restartAttempts);
        }
        requireAtLeast("restartDelay", restartDelay, Duration.ZERO);
        requirePresent("flinkSettings", flinkSettings);
        for (String key : flinkSettings.keySet()) {
            requireText("flinkSettings key", key);
        }
        flinkSettings = Collections.unmodifiableMap(new TreeMap<>(flinkSettings));

        List<String> topics = List.of(feedbackTopic, feedbackJsonTopic, deadLetterTopic, pairsTopic, annotatorsTopic);
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new IllegalArgumentException("feedbackTopic, feedbackJsonTopic, deadLetterTopic, pairsTopic and "
                    + "annotatorsTopic must differ, got " + String.join(", ", topics));
        }
        // Votes that leave the window before a refit would never be in any model.
        if (estimatorRefitEveryVotes > estimatorWindowVotes) {
            throw new IllegalArgumentException("estimatorRefitEveryVotes (" + estimatorRefitEveryVotes
                    + ") must not exceed estimatorWindowVotes (" + estimatorWindowVotes + ")");
        }
        // A transaction stays open from one checkpoint to the next; if it timed out first, the broker would abort it
        // and the pairs in it would be lost.
        if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw new IllegalArgumentException("transactionTimeout (" + transactionTimeout
                    + ") must be longer than checkpointInterval (" + checkpointInterval + ")");
        }
    }

    /**
     * The snapshot folder as a local path.
     *
     * @throws IllegalStateException if the snapshot lives on another file system than the local one
     */
    public Path snapshotDir() {
        return Locations.local(snapshotLocation).orElseThrow(() -> new IllegalStateException("snapshot location "
                + snapshotLocation + " is not a local folder"));
    }

    /** A builder with every optional field at its {@link CurationJobOptions} default. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }

    private static void requirePresent(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static void requireAtLeast(String field, Duration value, Duration min) {
        requirePresent(field, value);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
    }

    /** Builds a {@link CurationJobConfig}; {@code bootstrapServers} and the snapshot location are required. */
    public static final class Builder {
        private String bootstrapServers;
        private String feedbackTopic = FEEDBACK_TOPIC.defaultValue();
        private String feedbackJsonTopic = FEEDBACK_JSON_TOPIC.defaultValue();
        private String deadLetterTopic = DEAD_LETTER_TOPIC.defaultValue();
        private String pairsTopic = PAIRS_TOPIC.defaultValue();
        private String annotatorsTopic = ANNOTATORS_TOPIC.defaultValue();
        private String groupId = GROUP_ID.defaultValue();
        private StartingOffsets startingOffsets = STARTING_OFFSETS.defaultValue();
        private boolean bounded = BOUNDED.defaultValue();
        private URI snapshotLocation;
        private String snapshotId;
        private int parallelism = PARALLELISM.defaultValue();
        private Duration checkpointInterval = CHECKPOINT_INTERVAL.defaultValue();
        private Path checkpointDir;
        private int emitAfterVotes = EMIT_AFTER_VOTES.defaultValue();
        private Duration comparisonWindow = COMPARISON_WINDOW.defaultValue();
        private Duration maxOutOfOrderness = MAX_OUT_OF_ORDERNESS.defaultValue();
        private Duration sourceIdleness = SOURCE_IDLENESS.defaultValue();
        private Duration dedupeTtl = DEDUPE_TTL.defaultValue();
        private Duration closedComparisonTtl = CLOSED_COMPARISON_TTL.defaultValue();
        private String aggregator = AGGREGATOR.defaultValue();
        private double ambiguityThreshold = AMBIGUITY_THRESHOLD.defaultValue();
        private int estimatorWindowVotes = ESTIMATOR_WINDOW_VOTES.defaultValue();
        private int estimatorRefitEveryVotes = ESTIMATOR_REFIT_EVERY_VOTES.defaultValue();
        private Duration estimatorRefitInterval = ESTIMATOR_REFIT_INTERVAL.defaultValue();
        private double estimatorMaxTimeShare = ESTIMATOR_MAX_TIME_SHARE.defaultValue();
        private ValidationLimits validationLimits = ValidationLimits.DEFAULTS;
        private String transactionalIdPrefix = TRANSACTIONAL_ID_PREFIX.defaultValue();
        private Duration transactionTimeout = TRANSACTION_TIMEOUT.defaultValue();
        private boolean createMissingTopics = CREATE_MISSING_TOPICS.defaultValue();
        private Duration progressInterval = PROGRESS_INTERVAL.defaultValue();
        private int restartAttempts = RESTART_ATTEMPTS.defaultValue();
        private Duration restartDelay = RESTART_DELAY.defaultValue();
        private final Map<String, String> flinkSettings = new TreeMap<>();
        private Path resumeFrom;

        private Builder() {}

        /** Required. */
        public Builder setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            return this;
        }

        public Builder setFeedbackTopic(String feedbackTopic) {
            this.feedbackTopic = Objects.requireNonNull(feedbackTopic, "feedbackTopic");
            return this;
        }

        public Builder setFeedbackJsonTopic(String feedbackJsonTopic) {
            this.feedbackJsonTopic = Objects.requireNonNull(feedbackJsonTopic, "feedbackJsonTopic");
            return this;
        }

        public Builder setDeadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            return this;
        }

        public Builder setPairsTopic(String pairsTopic) {
            this.pairsTopic = Objects.requireNonNull(pairsTopic, "pairsTopic");
            return this;
        }

        public Builder setAnnotatorsTopic(String annotatorsTopic) {
            this.annotatorsTopic = Objects.requireNonNull(annotatorsTopic, "annotatorsTopic");
            return this;
        }

        public Builder setGroupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId, "groupId");
            return this;
        }

        public Builder setStartingOffsets(StartingOffsets startingOffsets) {
            this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
            return this;
        }

        public Builder setBounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /** Required, or {@link #setSnapshotLocation}: a local snapshot folder. */
        public Builder setSnapshotDir(Path snapshotDir) {
            this.snapshotLocation = Locations.of(Objects.requireNonNull(snapshotDir, "snapshotDir"));
            return this;
        }

        /**
         * Required, or {@link #setSnapshotDir}: the snapshot folder on any Flink file system, e.g.
         * {@code s3://bucket/snapshots/nightly}. The job's tasks write there, so every task manager needs the file system
         * (on a cluster, its plugin).
         */
        public Builder setSnapshotLocation(URI snapshotLocation) {
            this.snapshotLocation = Objects.requireNonNull(snapshotLocation, "snapshotLocation");
            return this;
        }

        /** Optional; defaults to the snapshot folder's name. */
        public Builder setSnapshotId(String snapshotId) {
            this.snapshotId = Objects.requireNonNull(snapshotId, "snapshotId");
            return this;
        }

        public Builder setParallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder setCheckpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            return this;
        }

        /** Optional; by default checkpoints go to a temporary folder that is deleted when the run is closed. */
        /** The folder of the checkpoints; {@code null} (the default) for a temporary one. */
        public Builder setCheckpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        public Builder setEmitAfterVotes(int emitAfterVotes) {
            this.emitAfterVotes = emitAfterVotes;
            return this;
        }

        public Builder setComparisonWindow(Duration comparisonWindow) {
            this.comparisonWindow = Objects.requireNonNull(comparisonWindow, "comparisonWindow");
            return this;
        }

        public Builder setMaxOutOfOrderness(Duration maxOutOfOrderness) {
            this.maxOutOfOrderness = Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
            return this;
        }

        public Builder setSourceIdleness(Duration sourceIdleness) {
            this.sourceIdleness = Objects.requireNonNull(sourceIdleness, "sourceIdleness");
            return this;
        }

        public Builder setDedupeTtl(Duration dedupeTtl) {
            this.dedupeTtl = Objects.requireNonNull(dedupeTtl, "dedupeTtl");
            return this;
        }

        public Builder setClosedComparisonTtl(Duration closedComparisonTtl) {
            this.closedComparisonTtl = Objects.requireNonNull(closedComparisonTtl, "closedComparisonTtl");
            return this;
        }

        public Builder setAggregator(String aggregator) {
            this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
            return this;
        }

        public Builder setAmbiguityThreshold(double ambiguityThreshold) {
            this.ambiguityThreshold = ambiguityThreshold;
            return this;
        }

        public Builder setEstimatorWindowVotes(int estimatorWindowVotes) {
            this.estimatorWindowVotes = estimatorWindowVotes;
            return this;
        }

        public Builder setEstimatorRefitEveryVotes(int estimatorRefitEveryVotes) {
            this.estimatorRefitEveryVotes = estimatorRefitEveryVotes;
            return this;
        }

        public Builder setEstimatorRefitInterval(Duration estimatorRefitInterval) {
            this.estimatorRefitInterval = Objects.requireNonNull(estimatorRefitInterval, "estimatorRefitInterval");
            return this;
        }

        public Builder setEstimatorMaxTimeShare(double estimatorMaxTimeShare) {
            this.estimatorMaxTimeShare = estimatorMaxTimeShare;
            return this;
        }

        public Builder setValidationLimits(ValidationLimits validationLimits) {
            this.validationLimits = Objects.requireNonNull(validationLimits, "validationLimits");
            return this;
        }

        public Builder setTransactionalIdPrefix(String transactionalIdPrefix) {
            this.transactionalIdPrefix = Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
            return this;
        }

        public Builder setTransactionTimeout(Duration transactionTimeout) {
            this.transactionTimeout = Objects.requireNonNull(transactionTimeout, "transactionTimeout");
            return this;
        }

        public Builder setCreateMissingTopics(boolean createMissingTopics) {
            this.createMissingTopics = createMissingTopics;
            return this;
        }

        public Builder setProgressInterval(Duration progressInterval) {
            this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
            return this;
        }

        public Builder setRestartAttempts(int restartAttempts) {
            this.restartAttempts = restartAttempts;
            return this;
        }

        public Builder setRestartDelay(Duration restartDelay) {
            this.restartDelay = Objects.requireNonNull(restartDelay, "restartDelay");
            return this;
        }

        /** A retained checkpoint ({@code .../chk-N}) or savepoint folder to restore from; {@code null} starts afresh. */
        /** Sets one Flink configuration key for the local MiniCluster, as {@code flink run -D key=value} would. */
        public Builder setFlinkSetting(String key, String value) {
            flinkSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder setResumeFrom(Path resumeFrom) {
            this.resumeFrom = resumeFrom;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, if a required field is missing or any field is invalid
         */
        public CurationJobConfig build() {
            String id = snapshotId;
            if (id == null && snapshotLocation != null) {
                id = Locations.name(snapshotLocation).orElse(null);
            }
            return new CurationJobConfig(bootstrapServers, feedbackTopic, feedbackJsonTopic, deadLetterTopic,
                    pairsTopic, annotatorsTopic, groupId, startingOffsets, bounded, snapshotLocation, id, parallelism,
                    checkpointInterval, checkpointDir, emitAfterVotes, comparisonWindow, maxOutOfOrderness, sourceIdleness, dedupeTtl,
                    closedComparisonTtl, aggregator, ambiguityThreshold, estimatorWindowVotes,
                    estimatorRefitEveryVotes, estimatorRefitInterval, estimatorMaxTimeShare, validationLimits,
                    transactionalIdPrefix,
                    transactionTimeout, createMissingTopics, progressInterval, restartAttempts, restartDelay,
                    flinkSettings, resumeFrom);
        }
    }
}
