package io.prefpipe.labeling.crowd;

import java.util.EnumSet;
import java.util.Set;

/**
 * When an {@link AnnotatorProfile} earns an {@link AnnotatorFlag}. No flag is raised on fewer than
 * {@code minJudgements} judgements: the estimates of a new annotator are mostly prior.
 *
 * @param minJudgements judgements needed before any flag is raised
 * @param spammerMaxInformativeness {@link AnnotatorFlag#SPAMMER} when informativeness is at most this
 * @param adversarialMargin {@link AnnotatorFlag#ADVERSARIAL} when accuracy is at most 1/K minus this margin
 * @param positionBiasMin {@link AnnotatorFlag#POSITION_BIASED} when |pFirstShown − ½| is at least this
 */
public record FlagThresholds(
        int minJudgements, double spammerMaxInformativeness, double adversarialMargin, double positionBiasMin) {
    /**
     * Defaults: 10 judgements; spammer when the rows differ by at most 0.2 (for two balanced classes: accuracy
     * between 0.4 and 0.6); adversarial at or below 1/K − 0.15 (0.35 for pairs); position-biased when one position is
     * picked 70% of the time or more.
     */
    public static final FlagThresholds DEFAULTS = new FlagThresholds(10, 0.2, 0.15, 0.2);

    public FlagThresholds {
        if (minJudgements < 0) {
            throw new IllegalArgumentException("minJudgements must be >= 0, got " + minJudgements);
        }
        requireIn(spammerMaxInformativeness, "spammerMaxInformativeness", 0, 1);
        requireIn(adversarialMargin, "adversarialMargin", 0, 1);
        requireIn(positionBiasMin, "positionBiasMin", 0, 0.5);
    }

    private static void requireIn(double v, String field, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * The flags a profile earns.
     *
     * @param numClasses K, which sets chance accuracy 1/K
     */
    public Set<AnnotatorFlag> flags(AnnotatorProfile profile, int numClasses) {
        EnumSet<AnnotatorFlag> flags = EnumSet.noneOf(AnnotatorFlag.class);
        if (profile.judgements() < minJudgements) {
            return flags;
        }
        if (!Double.isNaN(profile.informativeness()) && profile.informativeness() <= spammerMaxInformativeness) {
            flags.add(AnnotatorFlag.SPAMMER);
        }
        if (profile.accuracy() <= 1.0 / numClasses - adversarialMargin) {
            flags.add(AnnotatorFlag.ADVERSARIAL);
        }
        if (!Double.isNaN(profile.pFirstShown()) && Math.abs(profile.pFirstShown() - 0.5) >= positionBiasMin) {
            flags.add(AnnotatorFlag.POSITION_BIASED);
        }
        return flags;
    }
}
