package io.prefpipe.ingestion.synthetic;

/**
 * How a simulated annotator decides between the two responses of a pair, given p, the true (Bradley-Terry)
 * probability that the response shown first is better, and the annotator's {@code rate}.
 */
public enum AnnotatorBehaviour {
    /** Picks the first shown with probability p: a Bradley-Terry draw on r*. {@code rate} is unused (0). */
    ACCURATE(false),
    /** A Bradley-Terry draw, then flipped with probability {@code rate}. */
    NOISY(true),
    /** Picks either response with probability 1/2, whatever they say. {@code rate} is unused (0). */
    SPAMMER(false),
    /** A Bradley-Terry draw, then flipped with probability {@code rate}, typically high (mostly wrong on purpose). */
    ADVERSARIAL(true),
    /**
     * With probability {@code rate} picks the response shown first without reading; otherwise judges like
     * {@link #ACCURATE}. Over randomized display orders it picks the first shown with probability
     * rate + (1 - rate) / 2.
     */
    POSITION_BIASED(true);

    private final boolean usesRate;

    AnnotatorBehaviour(boolean usesRate) {
        this.usesRate = usesRate;
    }

    /** Whether the annotator's {@code rate} means anything for this behaviour. */
    public boolean usesRate() {
        return usesRate;
    }
}
