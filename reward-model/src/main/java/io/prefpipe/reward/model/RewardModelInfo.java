package io.prefpipe.reward.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.SequenceFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a saved reward model is and what it was trained on; written as {@value #FILE_NAME} next to its parameters.
 *
 * @param formatVersion version of this layout, {@value #FORMAT_VERSION}
 * @param backbone the shape of the policy backbone
 * @param format how prompt and response become one sequence, as in the policy the backbone came from; byte-level when
 *     absent (descriptions written before Hugging Face backbones)
 * @param initialization where the parameters started, e.g. {@code random, seed 7} or the policy folder
 * @param training the training runs since then, oldest first
 */
public record RewardModelInfo(
        int formatVersion, PolicyConfig backbone, SequenceFormat format, String initialization,
        List<TrainingRecord> training) {

    public static final String FILE_NAME = "reward-model.json";
    public static final int FORMAT_VERSION = 1;

    /** ISO-8601 instants, indented, unknown properties refused; configured once, then only read (thread-safe). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public RewardModelInfo {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + formatVersion + " is not supported, only "
                    + FORMAT_VERSION);
        }
        Objects.requireNonNull(backbone, "backbone");
        format = format == null ? SequenceFormat.byteLevel() : format;
        Objects.requireNonNull(initialization, "initialization");
        training = List.copyOf(training);
    }

    /** The description of an untrained model. */
    static RewardModelInfo untrained(PolicyConfig backbone, SequenceFormat format, String initialization) {
        return new RewardModelInfo(FORMAT_VERSION, backbone, format, initialization, List.of());
    }

    /** This description with one more training run. */
    RewardModelInfo withTraining(TrainingRecord run) {
        List<TrainingRecord> runs = new ArrayList<>(training);
        runs.add(Objects.requireNonNull(run, "run"));
        return new RewardModelInfo(formatVersion, backbone, format, initialization, runs);
    }

    /** Writes {@code dir/}{@value #FILE_NAME}, replacing it. */
    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    /**
     * Reads {@code dir/}{@value #FILE_NAME}.
     *
     * @throws IOException naming the file, if it is missing or not a reward model description
     */
    public static RewardModelInfo read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no reward model in " + dir + ": " + FILE_NAME + " is missing");
        }
        try {
            return JSON.readValue(file.toFile(), RewardModelInfo.class);
        } catch (IOException e) {
            throw new IOException("cannot read a reward model description from " + file + ": " + e.getMessage(), e);
        }
    }
}
