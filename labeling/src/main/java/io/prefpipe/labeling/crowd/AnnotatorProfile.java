package io.prefpipe.labeling.crowd;

import java.util.Objects;

/**
 * The summary of one annotator that every {@link AnnotatorModel} can give, and from which flags are derived.
 *
 * @param annotatorId the annotator
 * @param judgements how many judgements the model was fitted on for them; 0 for an annotator it has not seen (the
 *     profile is then the model's default)
 * @param accuracy estimated probability that their label equals the truth, averaged over the class prior (and, for
 *     position-aware models, over display order)
 * @param informativeness how much their label says about the truth: the largest total-variation distance between two
 *     rows of their confusion matrix, in [0, 1]; 0 for a spammer, 1 for a perfect (or perfectly inverted) annotator;
 *     NaN when the method does not model it
 * @param pFirstShown estimated probability that they pick the response shown first when the better one is shown first
 *     or second equally often; NaN when the method does not model display order
 */
public record AnnotatorProfile(
        String annotatorId, int judgements, double accuracy, double informativeness, double pFirstShown) {
    public AnnotatorProfile {
        Objects.requireNonNull(annotatorId, "annotatorId");
        if (judgements < 0) {
            throw new IllegalArgumentException("judgements must be >= 0, got " + judgements);
        }
        requireProbabilityOrNaN(accuracy, "accuracy");
        requireProbabilityOrNaN(informativeness, "informativeness");
        requireProbabilityOrNaN(pFirstShown, "pFirstShown");
    }

    private static void requireProbabilityOrNaN(double v, String field) {
        if (!Double.isNaN(v) && (v < 0 || v > 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1] or NaN, got " + v);
        }
    }
}
