package io.prefpipe.reward.preference;

import io.prefpipe.optimizer.model.PromptResponse;
import io.prefpipe.optimizer.online.PreferenceModel;
import io.prefpipe.reward.model.RewardModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Bradley-Terry preference model of a reward model r:
 *
 * <pre>
 *   P(y ≻ y' | x) = σ((r(x, y) − r(x, y')) / τ)
 * </pre>
 *
 * with temperature τ &gt; 0 (default 1, the model the reward was trained as); a larger τ makes preferences less
 * certain. P(y ≻ y) = ½ and P(y ≻ y') + P(y' ≻ y) = 1. Reads the reward model without owning it: closing the reward
 * model is the caller's job. Not thread-safe, like the reward model.
 */
public final class RewardPreferenceModel implements PreferenceModel {

    private final RewardModel rewardModel;
    private final double temperature;

    /** The preference model with τ = 1. */
    public RewardPreferenceModel(RewardModel rewardModel) {
        this(rewardModel, 1);
    }

    /**
     * The preference model with temperature τ.
     *
     * @throws IllegalArgumentException if temperature is not finite and positive
     */
    public RewardPreferenceModel(RewardModel rewardModel, double temperature) {
        this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    /** The temperature τ. */
    public double temperature() {
        return temperature;
    }

    @Override
    public double[] preferenceProbabilities(List<String> prompts, List<String> first, List<String> second) {
        int n = prompts.size();
        if (first.size() != n || second.size() != n) {
            throw new IllegalArgumentException("prompts, first and second must have the same size, got " + n + ", "
                    + first.size() + " and " + second.size());
        }
        List<PromptResponse> rows = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            rows.add(new PromptResponse(prompts.get(i), first.get(i)));
        }
        for (int i = 0; i < n; i++) {
            rows.add(new PromptResponse(prompts.get(i), second.get(i)));
        }
        double[] rewards = rewardModel.score(rows);
        double[] probabilities = new double[n];
        for (int i = 0; i < n; i++) {
            probabilities[i] = sigmoid((rewards[i] - rewards[n + i]) / temperature);
        }
        return probabilities;
    }

    /** σ(z), computed from e^−|z| so that it neither overflows nor loses 1 − σ for large |z|. */
    private static double sigmoid(double z) {
        double e = Math.exp(-Math.abs(z));
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
}
