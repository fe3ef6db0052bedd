package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistics every pairwise loss reports, from the log-ratios ρ_w, ρ_l of a batch of B pairs, with implicit
 * rewards r = β·ρ. They are read on the host: a handful of floats, and no extra nodes in the autograd graph.
 *
 * <p>{@code kl} is the batch mean of (ρ_w + ρ_l)/2, the mean log-ratio log π_θ(y|x) − log π_ref(y|x) over the data's
 * responses: a k1 estimate of KL(π_θ ‖ π_ref), but off-policy, since the responses were not sampled from π_θ. It can
 * be negative, and its drift shows how far training pulls the policy towards or away from the dataset's responses.
 *
 * @param rewardsChosen mean β·ρ_w
 * @param rewardsRejected mean β·ρ_l
 * @param rewardAccuracy fraction of pairs with ρ_w &gt; ρ_l
 * @param rewardMargin mean β·(ρ_w − ρ_l)
 * @param kl mean (ρ_w + ρ_l)/2
 */
record PreferenceStatistics(
        double rewardsChosen, double rewardsRejected, double rewardAccuracy, double rewardMargin, double kl) {

    /**
     * The statistics of B pairs.
     *
     * @param chosenLogRatio ρ_w, (B,)
     * @param rejectedLogRatio ρ_l, (B,)
     */
    static PreferenceStatistics of(NDArray chosenLogRatio, NDArray rejectedLogRatio, double beta) {
        float[] chosen = chosenLogRatio.toType(DataType.FLOAT32, false).toFloatArray();
        float[] rejected = rejectedLogRatio.toType(DataType.FLOAT32, false).toFloatArray();
        double sumChosen = 0;
        double sumRejected = 0;
        int correct = 0;
        for (int i = 0; i < chosen.length; i++) {
            sumChosen += chosen[i];
            sumRejected += rejected[i];
            correct += chosen[i] > rejected[i] ? 1 : 0;
        }
        int n = chosen.length;
        return new PreferenceStatistics(beta * sumChosen / n, beta * sumRejected / n, (double) correct / n,
                beta * (sumChosen - sumRejected) / n, (sumChosen + sumRejected) / (2.0 * n));
    }

    /** The loss with these statistics, under the names of {@link PairwisePreferenceLoss#compute}. */
    LossOutput output(NDArray loss) {
        return output(loss, Map.of());
    }

    /**
     * The loss with these statistics, followed by a loss's own metrics.
     *
     * @param extra loss-specific metrics, in the order they should appear
     */
    LossOutput output(NDArray loss, Map<String, Double> extra) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) loss.getFloat());
        metrics.put("rewards/chosen", rewardsChosen);
        metrics.put("rewards/rejected", rewardsRejected);
        metrics.put("rewards/accuracy", rewardAccuracy);
        metrics.put("rewards/margin", rewardMargin);
        metrics.put("kl", kl);
        metrics.putAll(extra);
        return new LossOutput(loss, metrics);
    }

    /** The statistics in the form {@link DpoLoss.Output} has always had, without kl. */
    DpoMetrics dpoMetrics(double loss) {
        return new DpoMetrics(loss, rewardsChosen, rewardsRejected, rewardAccuracy, rewardMargin);
    }
}
