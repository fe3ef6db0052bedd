package io.prefpipe.ingestion.synthetic;

import io.prefpipe.schema.AnnotatorKind;
import java.util.List;
import java.util.Objects;

/**
 * One group in the mix of simulated annotators.
 *
 * @param behaviour how its annotators decide
 * @param kind the annotator kind written into their events
 * @param share its weight in the mix; annotators are apportioned to profiles in proportion to their shares
 * @param rate the behaviour's parameter (flip rate, or first-shown rate), see {@link AnnotatorBehaviour}; 0 for
 *     behaviours without one
 */
public record AnnotatorProfile(AnnotatorBehaviour behaviour, AnnotatorKind kind, double share, double rate) {
    /**
     * The default mix: mostly accurate humans and an accurate AI judge, two noisy groups (15% and 30% flips),
     * position-biased humans (70% first-shown without reading), spamming implicit signals (clicks), and a few
     * adversaries (90% flips). With 20 annotators: 9, 2, 2, 2, 2, 2 and 1.
     */
    public static final List<AnnotatorProfile> DEFAULT_MIX = List.of(
            new AnnotatorProfile(AnnotatorBehaviour.ACCURATE, AnnotatorKind.HUMAN, 0.45, 0),
            new AnnotatorProfile(AnnotatorBehaviour.ACCURATE, AnnotatorKind.AI_JUDGE, 0.10, 0),
            new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 0.10, 0.15),
            new AnnotatorProfile(AnnotatorBehaviour.NOISY, AnnotatorKind.HUMAN, 0.10, 0.30),
            new AnnotatorProfile(AnnotatorBehaviour.POSITION_BIASED, AnnotatorKind.HUMAN, 0.10, 0.70),
            new AnnotatorProfile(AnnotatorBehaviour.SPAMMER, AnnotatorKind.IMPLICIT, 0.10, 0),
            new AnnotatorProfile(AnnotatorBehaviour.ADVERSARIAL, AnnotatorKind.HUMAN, 0.05, 0.90));

    public AnnotatorProfile {
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(kind, "kind");
        if (!(share > 0) || !Double.isFinite(share)) {
            throw new IllegalArgumentException("share must be a positive number, got " + share);
        }
        requireRate(behaviour, rate);
    }

    static void requireRate(AnnotatorBehaviour behaviour, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1], got " + rate);
        }
        if (!behaviour.usesRate() && rate != 0) {
            throw new IllegalArgumentException("rate must be 0 for " + behaviour + ", which has no rate; got " + rate);
        }
    }
}
