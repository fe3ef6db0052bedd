package io.prefpipe.optimizer.loss;

import java.util.Map;

/**
 * A preference-optimization loss over pairs (chosen y_w, rejected y_l) of responses to one prompt, computed from
 * summed per-sequence log-probabilities of the policy and the reference ({@link PairLogProbs}). Implementations are
 * immutable and hold only hyperparameters.
 */
public interface PairwisePreferenceLoss {

    /** The name the CLI and checkpoint manifests use, e.g. {@code dpo}, {@code rdpo}. */
    String name();

    /** The inverse temperature β. */
    double beta();

    /** Hyperparameters besides β (e.g. {@code epsilon}, {@code alpha}), recorded in checkpoint manifests. */
    Map<String, Double> parameters();

    /**
     * The scalar loss, the mean over the batch's pairs (differentiable w.r.t. the policy arrays), and the batch's
     * statistics under the names the established tools log: {@code loss}, {@code rewards/chosen} (mean β·ρ_w), {@code
     * rewards/rejected}, {@code rewards/accuracy} (fraction with ρ_w &gt; ρ_l), {@code rewards/margin}, {@code kl}
     * (mean (ρ_w + ρ_l)/2, an off-policy k1 estimate of KL(π_θ ‖ π_ref) on the data's responses), plus loss-specific
     * ones.
     */
    LossOutput compute(PairLogProbs batch);
}
