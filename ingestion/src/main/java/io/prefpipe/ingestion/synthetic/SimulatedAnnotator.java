package io.prefpipe.ingestion.synthetic;

import io.prefpipe.schema.AnnotatorKind;
import java.util.Objects;
import java.util.Random;

/**
 * A simulated annotator.
 *
 * @param id the annotator id written into events
 * @param behaviour how it decides
 * @param kind the kind written into events
 * @param rate the behaviour's parameter, see {@link AnnotatorBehaviour}; 0 for behaviours without one
 */
public record SimulatedAnnotator(String id, AnnotatorBehaviour behaviour, AnnotatorKind kind, double rate) {
    public SimulatedAnnotator {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(kind, "kind");
        AnnotatorProfile.requireRate(behaviour, rate);
    }

    /**
     * Whether this annotator prefers the response shown first.
     *
     * @param pFirstBetter the true probability that the response shown first is better
     * @param random the source of the annotator's randomness
     */
    public boolean prefersFirstShown(double pFirstBetter, Random random) {
        return switch (behaviour) {
            case ACCURATE -> random.nextDouble() < pFirstBetter;
            case NOISY, ADVERSARIAL -> (random.nextDouble() < pFirstBetter) != (random.nextDouble() < rate);
            case SPAMMER -> random.nextBoolean();
            case POSITION_BIASED -> random.nextDouble() < rate || random.nextDouble() < pFirstBetter;
        };
    }
}
