package io.prefpipe.flink.curate;

import io.prefpipe.labeling.crowd.AnnotatorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.util.InstantiationUtil;

/**
 * A freshly fitted annotator model on its way from the estimator to every curation task, and kept there in broadcast
 * state.
 *
 * <p>The model travels as Java-serialized bytes: {@link AnnotatorModel} is an interface with one immutable,
 * serializable snapshot class per method, which Flink could only handle with Kryo. The record itself is a POJO
 * (public, as Flink requires).
 *
 * @param version counts the estimator's fits, from 1
 * @param fittedAtMillis when it was fitted, processing time in epoch milliseconds
 * @param windowVotes how many pairwise votes it was fitted on
 * @param serializedModel the Java serialization of the {@link AnnotatorModel}
 */
public record AnnotatorModelUpdate(long version, long fittedAtMillis, int windowVotes, byte[] serializedModel) {
    public AnnotatorModelUpdate {
        Objects.requireNonNull(serializedModel, "serializedModel");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
    }

    /** The update carrying {@code model}. */
    static AnnotatorModelUpdate of(long version, Instant fittedAt, int windowVotes, AnnotatorModel model) {
        try {
            return new AnnotatorModelUpdate(version, fittedAt.toEpochMilli(), windowVotes,
                    InstantiationUtil.serializeObject(model));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the " + model.method() + " model", e);
        }
    }

    /**
     * The model, deserialized with the job's class loader.
     *
     * @throws IOException if the bytes are not a model this code can read (e.g. written by an incompatible version)
     */
    AnnotatorModel deserialize(ClassLoader classLoader) throws IOException {
        try {
            return InstantiationUtil.deserializeObject(serializedModel, classLoader);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException("model version " + version + " is not an AnnotatorModel this job can read", e);
        }
    }

    Instant fittedAt() {
        return Instant.ofEpochMilli(fittedAtMillis);
    }
}
