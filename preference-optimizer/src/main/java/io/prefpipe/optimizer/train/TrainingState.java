package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A training run as it was after some step, saved by {@link TrainingStateStore} so the run can resume exactly: a
 * folder with the model ({@value #MODEL_DIR}/), the optimizer's state ({@value #OPTIMIZER_FILE}, see {@link
 * AdamW#save}) and {@value #MANIFEST_FILE} (step, batch position, config and every step's metrics so far).
 *
 * @param dir the state's folder
 * @param manifest what {@value #MANIFEST_FILE} says
 */
public record TrainingState(Path dir, Manifest manifest) {

    public static final String MANIFEST_FILE = "state.json";
    public static final String MODEL_DIR = "model";
    public static final String OPTIMIZER_FILE = "optimizer.bin";

    public TrainingState {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(manifest, "manifest");
    }

    /**
     * Opens the state in {@code dir}.
     *
     * @throws IOException if a part is missing (an incomplete folder never loads) or the manifest is unreadable
     */
    public static TrainingState open(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve(MODEL_DIR)) || !Files.isRegularFile(dir.resolve(OPTIMIZER_FILE))) {
            throw new IOException("incomplete training state in " + dir + ": it needs " + MODEL_DIR + "/, "
                    + OPTIMIZER_FILE + " and " + MANIFEST_FILE);
        }
        return new TrainingState(dir, Json.read(dir.resolve(MANIFEST_FILE), Manifest.class));
    }

    /** The folder of the model's parameters, as the model's own {@code save} wrote them. */
    public Path modelDir() {
        return dir.resolve(MODEL_DIR);
    }

    /** The optimizer's saved state. */
    public Path optimizerFile() {
        return dir.resolve(OPTIMIZER_FILE);
    }

    /**
     * Checks that this state was written by a run of the same kind on the same data, as its trainer describes them.
     *
     * @throws IllegalArgumentException naming both descriptions if they differ
     */
    public void requireWrittenFor(Map<String, String> properties) {
        if (!manifest.properties().equals(properties)) {
            throw new IllegalArgumentException("the training state in " + dir + " was written for "
                    + manifest.properties() + ", this run is " + properties);
        }
    }

    /**
     * What a training state records besides the model and the optimizer.
     *
     * @param formatVersion version of this layout, {@value #FORMAT_VERSION}
     * @param createdTime when the state was written
     * @param step optimizer steps done; the next step is {@code step + 1}, and its learning rate follows from the
     *     config's schedule at that step
     * @param totalSteps steps the run takes in all
     * @param batchPosition where the batch source stood after {@code step} (e.g. examples drawn)
     * @param config the run's hyperparameters; a resumed run must have the same
     * @param elapsed training time up to {@code step}
     * @param history every step's metrics, in step order ({@code loss}, {@code grad_norm}, {@code learning_rate}, ...)
     * @param properties what the trainer records to recognise its data and objective on resume, e.g. a digest of the
     *     examples
     */
    public record Manifest(
            int formatVersion,
            Instant createdTime,
            int step,
            int totalSteps,
            long batchPosition,
            TrainingConfig config,
            Duration elapsed,
            List<Map<String, Double>> history,
            Map<String, String> properties) {

        public static final int FORMAT_VERSION = 1;

        public Manifest {
            if (formatVersion != FORMAT_VERSION) {
                throw new IllegalArgumentException("formatVersion " + formatVersion + " is not supported, only "
                        + FORMAT_VERSION);
            }
            Objects.requireNonNull(createdTime, "createdTime");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(elapsed, "elapsed");
            if (step < 1 || step > totalSteps) {
                throw new IllegalArgumentException("step must be in [1, totalSteps = " + totalSteps + "], got " + step);
            }
            if (history.size() != step) {
                throw new IllegalArgumentException("history must have one entry per step (" + step + "), got "
                        + history.size());
            }
            history = history.stream()
                    .map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)))
                    .toList();
            properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        }

        /** Every step's loss so far. */
        public List<Double> losses() {
            return history.stream().map(m -> m.get("loss")).toList();
        }
    }
}
