package io.prefpipe.optimizer.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch statistics of one DPO step, with implicit rewards r = β·(log π_θ(y|x) − log π_ref(y|x)).
 *
 * @param loss mean −log σ(β·h)
 * @param rewardsChosen mean implicit reward of the chosen responses, β·ρ_w
 * @param rewardsRejected mean implicit reward of the rejected responses, β·ρ_l
 * @param rewardAccuracy fraction of pairs with h &gt; 0, i.e. chosen rewarded above rejected
 * @param rewardMargin mean of β·h = β·(ρ_w − ρ_l)
 */
public record DpoMetrics(
        double loss, double rewardsChosen, double rewardsRejected, double rewardAccuracy, double rewardMargin) {

    /** The metrics under the names the TRL library logs (e.g. {@code rewards/chosen}), in a fixed order. */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("loss", loss);
        map.put("rewards/chosen", rewardsChosen);
        map.put("rewards/rejected", rewardsRejected);
        map.put("rewards/accuracy", rewardAccuracy);
        map.put("rewards/margin", rewardMargin);
        return Collections.unmodifiableMap(map);
    }
}
