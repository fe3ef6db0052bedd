package io.prefpipe.labeling.crowd;

/**
 * How often labels disagree with the truth, as a fitted model estimates it from its own posteriors T.
 *
 * <pre>
 *   perJudgement    = (1/N) Σ_j (1 − T[item(j)][label(j)])        over all N judgements
 *   perDecidedLabel = (1/D) Σ_{i decided} (1 − max_k T[i][k])      over the D decided items
 * </pre>
 *
 * {@code perJudgement} is the expected rate at which a single judgement flips the true preference: the ε a
 * noise-robust loss (e.g. robust DPO, Chowdhury et al. 2024) needs when it trains on single votes.
 * {@code perDecidedLabel} is the expected rate at which an aggregated label is wrong: the ε when it trains on
 * aggregated labels. Both are only as good as the model's calibration.
 *
 * @param perJudgement expected single-judgement flip rate; NaN when there are no judgements
 * @param perDecidedLabel expected error rate of decided labels; NaN when no item is decided
 * @param judgements N
 * @param decidedItems D
 */
public record FlipRateEstimate(double perJudgement, double perDecidedLabel, int judgements, int decidedItems) {
    public FlipRateEstimate {
        if (judgements < 0 || decidedItems < 0) {
            throw new IllegalArgumentException("judgements and decidedItems must be >= 0, got " + judgements + ", "
                    + decidedItems);
        }
        if (judgements > 0 && !(perJudgement >= 0 && perJudgement <= 1)) {
            throw new IllegalArgumentException("perJudgement must be in [0, 1], got " + perJudgement);
        }
        if (decidedItems > 0 && !(perDecidedLabel >= 0 && perDecidedLabel <= 1)) {
            throw new IllegalArgumentException("perDecidedLabel must be in [0, 1], got " + perDecidedLabel);
        }
    }
}
