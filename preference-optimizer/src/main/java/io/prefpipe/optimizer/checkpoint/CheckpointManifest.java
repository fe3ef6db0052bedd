package io.prefpipe.optimizer.checkpoint;

import io.prefpipe.optimizer.internal.Json;
import io.prefpipe.optimizer.loss.PairwisePreferenceLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Describes one checkpoint; written as {@value #FILE_NAME} in the checkpoint's folder.
 *
 * @param formatVersion version of this manifest's layout, {@value #FORMAT_VERSION}
 * @param checkpointId unique id, also the checkpoint folder's name
 * @param createdTime when the checkpoint was written
 * @param seed the training run's seed (batch order)
 * @param loss the training objective
 * @param training the training hyperparameters
 * @param policy the shape of the trained policy
 * @param result steps, time and final metrics of the run
 * @param lineage the snapshot the run trained on
 * @param properties free-form facts (e.g. the policy's initialization seed, the SFT warm-up it started from)
 */
public record CheckpointManifest(
        int formatVersion,
        String checkpointId,
        Instant createdTime,
        long seed,
        LossSpec loss,
        TrainingConfig training,
        PolicyConfig policy,
        ResultSummary result,
        SnapshotLineage lineage,
        Map<String, String> properties) {

    public static final String FILE_NAME = "manifest.json";
    public static final int FORMAT_VERSION = 1;

    /** Ids are folder names: no separators, no leading dot (hidden names are in-progress writes). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    public CheckpointManifest {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + formatVersion + " is not supported, only "
                    + FORMAT_VERSION);
        }
        Objects.requireNonNull(checkpointId, "checkpointId");
        if (!ID.matcher(checkpointId).matches()) {
            throw new IllegalArgumentException("checkpointId must match " + ID + ", got '" + checkpointId + "'");
        }
        Objects.requireNonNull(createdTime, "createdTime");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(lineage, "lineage");
        // sorted, so the JSON is the same for the same facts
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * The objective.
     *
     * @param name the loss's name, e.g. {@code dpo}
     * @param beta its β
     * @param parameters its hyperparameters besides β, e.g. {@code epsilon}
     */
    public record LossSpec(String name, double beta, Map<String, Double> parameters) {
        public LossSpec {
            Objects.requireNonNull(name, "name");
            parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        }

        /** The spec of a preference loss. */
        public static LossSpec of(PairwisePreferenceLoss loss) {
            return new LossSpec(loss.name(), loss.beta(), loss.parameters());
        }
    }

    /**
     * What the run achieved.
     *
     * @param steps optimizer steps taken
     * @param finalLoss the last step's loss
     * @param finalMetrics the last step's metrics
     * @param trainingSeconds wall time of the steps
     */
    public record ResultSummary(int steps, double finalLoss, Map<String, Double> finalMetrics, double trainingSeconds) {
        public ResultSummary {
            finalMetrics = Collections.unmodifiableMap(new TreeMap<>(finalMetrics));
        }

        /** The summary of a training result. */
        public static ResultSummary of(TrainingResult result) {
            return new ResultSummary(result.steps(), result.finalLoss(), result.finalMetrics(),
                    result.duration().toNanos() / 1e9);
        }
    }

    /** Reads the manifest in {@code checkpointDir}. */
    public static CheckpointManifest read(Path checkpointDir) throws IOException {
        return Json.read(checkpointDir.resolve(FILE_NAME), CheckpointManifest.class);
    }

    /** Writes this manifest into {@code dir}. Not atomic by itself: {@link CheckpointWriter} makes it so. */
    void write(Path dir) throws IOException {
        Json.write(dir.resolve(FILE_NAME), this);
    }

    /** A builder; every setting except properties is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CheckpointManifest} of format version {@value #FORMAT_VERSION}. */
    public static final class Builder {
        private String checkpointId;
        private Instant createdTime;
        private LossSpec loss;
        private TrainingConfig training;
        private PolicyConfig policy;
        private ResultSummary result;
        private SnapshotLineage lineage;
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {}

        public Builder setCheckpointId(String checkpointId) {
            this.checkpointId = checkpointId;
            return this;
        }

        public Builder setCreatedTime(Instant createdTime) {
            this.createdTime = createdTime;
            return this;
        }

        /** Records the loss's name, β and other hyperparameters. */
        public Builder setLoss(PairwisePreferenceLoss loss) {
            this.loss = LossSpec.of(loss);
            return this;
        }

        public Builder setLoss(LossSpec loss) {
            this.loss = loss;
            return this;
        }

        /** Records the hyperparameters; the manifest's seed is theirs. */
        public Builder setTraining(TrainingConfig training) {
            this.training = training;
            return this;
        }

        public Builder setPolicy(PolicyConfig policy) {
            this.policy = policy;
            return this;
        }

        public Builder setResult(TrainingResult result) {
            this.result = ResultSummary.of(result);
            return this;
        }

        /** Records the lineage of the snapshot trained on. */
        public Builder setSnapshot(SnapshotManifest snapshot) {
            this.lineage = SnapshotLineage.of(snapshot);
            return this;
        }

        public Builder setProperty(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the manifest.
         *
         * @throws NullPointerException naming the first required setting that is missing
         * @throws IllegalArgumentException if the checkpoint id is not a plain folder name
         */
        public CheckpointManifest build() {
            Objects.requireNonNull(training, "training");
            return new CheckpointManifest(FORMAT_VERSION, checkpointId, createdTime, training.seed(), loss, training,
                    policy, result, lineage, properties);
        }
    }
}
