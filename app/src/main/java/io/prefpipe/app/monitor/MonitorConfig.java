package io.prefpipe.app.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link PipelineMonitor} watches. Build with {@link #builder(String)}; the topic and group defaults are the
 * curation job's own ({@code CurationJobOptions}).
 *
 * @param bootstrapServers the Kafka cluster
 * @param feedbackTopic Avro feedback; its end offsets are the events produced
 * @param feedbackJsonTopic JSON feedback, counted like the Avro topic
 * @param deadLetterTopic {@code DeadLetter}s, counted by reason
 * @param pairsTopic curated {@code PreferencePair}s
 * @param annotatorsTopic {@code AnnotatorEstimate}s, one per annotator per fit of the annotator model
 * @param checkpointsTopic {@code CheckpointEvent}s of the training loop
 * @param curationGroupId the curation job's consumer group, whose committed offsets give the consumer lag
 * @param snapshotsDir a folder whose sub-folders are snapshots; their manifests give filter counts and ε̂; null for
 *     none
 * @param refreshInterval how often offsets, lag and manifests are read and a point is added to the time series
 * @param historyPoints how many points each time series keeps (the oldest are dropped)
 * @param readBack how far back to read the dead-letter, pairs and annotators topics when the monitor starts: from
 *     the first record stamped at or after {@code now - readBack}; null (the default) reads them from their
 *     beginning. The checkpoints topic, one record per training iteration, is always read whole for the lineage.
 */
public record MonitorConfig(String bootstrapServers, String feedbackTopic, String feedbackJsonTopic,
        String deadLetterTopic, String pairsTopic, String annotatorsTopic, String checkpointsTopic,
        String curationGroupId, Path snapshotsDir, Duration refreshInterval, int historyPoints, Duration readBack) {

    /** The topic the training loop publishes {@code CheckpointEvent}s to. */
    public static final String CHECKPOINTS_TOPIC = "checkpoints";

    public MonitorConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(feedbackTopic, "feedbackTopic");
        Objects.requireNonNull(feedbackJsonTopic, "feedbackJsonTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(pairsTopic, "pairsTopic");
        Objects.requireNonNull(annotatorsTopic, "annotatorsTopic");
        Objects.requireNonNull(checkpointsTopic, "checkpointsTopic");
        Objects.requireNonNull(curationGroupId, "curationGroupId");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.toMillis() < 10) {
            throw new IllegalArgumentException("refreshInterval must be at least 10 ms, got " + refreshInterval);
        }
        if (historyPoints < 2) {
            throw new IllegalArgumentException("historyPoints must be >= 2, got " + historyPoints);
        }
        if (readBack != null && (readBack.isZero() || readBack.isNegative())) {
            throw new IllegalArgumentException("readBack must be positive, got " + readBack);
        }
    }

    /** A builder with the curation job's default topics and group, refreshing every second, 600 points kept. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Builds a {@link MonitorConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private final String bootstrapServers;
        private String feedbackTopic = "feedback";
        private String feedbackJsonTopic = "feedback.json";
        private String deadLetterTopic = "feedback.dlq";
        private String pairsTopic = "pairs";
        private String annotatorsTopic = "annotators";
        private String checkpointsTopic = CHECKPOINTS_TOPIC;
        private String curationGroupId = "prefpipe-curate";
        private Path snapshotsDir;
        private Duration refreshInterval = Duration.ofSeconds(1);
        private int historyPoints = 600;
        private Duration readBack;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        }

        public Builder setFeedbackTopic(String topic) {
            this.feedbackTopic = Objects.requireNonNull(topic, "feedbackTopic");
            return this;
        }

        public Builder setFeedbackJsonTopic(String topic) {
            this.feedbackJsonTopic = Objects.requireNonNull(topic, "feedbackJsonTopic");
            return this;
        }

        public Builder setDeadLetterTopic(String topic) {
            this.deadLetterTopic = Objects.requireNonNull(topic, "deadLetterTopic");
            return this;
        }

        public Builder setPairsTopic(String topic) {
            this.pairsTopic = Objects.requireNonNull(topic, "pairsTopic");
            return this;
        }

        public Builder setAnnotatorsTopic(String topic) {
            this.annotatorsTopic = Objects.requireNonNull(topic, "annotatorsTopic");
            return this;
        }

        public Builder setCheckpointsTopic(String topic) {
            this.checkpointsTopic = Objects.requireNonNull(topic, "checkpointsTopic");
            return this;
        }

        public Builder setCurationGroupId(String groupId) {
            this.curationGroupId = Objects.requireNonNull(groupId, "curationGroupId");
            return this;
        }

        /** A folder of snapshot folders to read manifests from; null (the default) reads none. */
        public Builder setSnapshotsDir(Path dir) {
            this.snapshotsDir = dir;
            return this;
        }

        public Builder setRefreshInterval(Duration interval) {
            this.refreshInterval = Objects.requireNonNull(interval, "refreshInterval");
            return this;
        }

        public Builder setHistoryPoints(int points) {
            this.historyPoints = points;
            return this;
        }

        /** How far back to read the record topics at start; null (the default) from their beginning. */
        public Builder setReadBack(Duration readBack) {
            this.readBack = readBack;
            return this;
        }

        public MonitorConfig build() {
            return new MonitorConfig(bootstrapServers, feedbackTopic, feedbackJsonTopic, deadLetterTopic, pairsTopic,
                    annotatorsTopic, checkpointsTopic, curationGroupId, snapshotsDir, refreshInterval, historyPoints,
                    readBack);
        }
    }
}
