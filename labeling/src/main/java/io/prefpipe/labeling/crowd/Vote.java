package io.prefpipe.labeling.crowd;

import java.util.Objects;

/**
 * One vote on a new item, as an {@link AnnotatorModel} scores it.
 *
 * @param annotatorId who voted; annotators the model has not seen get its default model
 * @param label the class voted for
 * @param shownFirst the class shown first, or {@link CrowdDataset#UNKNOWN_POSITION}; only position-aware models read
 *     it
 */
public record Vote(String annotatorId, int label, int shownFirst) {
    public Vote {
        Objects.requireNonNull(annotatorId, "annotatorId");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        if (shownFirst < CrowdDataset.UNKNOWN_POSITION) {
            throw new IllegalArgumentException("shownFirst must be a class or UNKNOWN_POSITION (-1), got " + shownFirst);
        }
    }

    /** A vote whose display order is unknown. */
    public static Vote of(String annotatorId, int label) {
        return new Vote(annotatorId, label, CrowdDataset.UNKNOWN_POSITION);
    }
}
