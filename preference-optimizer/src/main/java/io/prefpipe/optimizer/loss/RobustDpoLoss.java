package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Map;

/**
 * Robust DPO (rDPO; Chowdhury et al., 2024, "Provably Robust DPO: Aligning Language Models with Noisy Feedback") for
 * labels flipped independently with a known rate ε:
 *
 * <pre>
 *   L = mean over the batch of [−(1 − ε)·log σ(β·h) + ε·log σ(−β·h)] / (1 − 2ε)
 *     = mean [(1 − ε)·softplus(−β·h) − ε·softplus(β·h)] / (1 − 2ε)
 * </pre>
 *
 * with h = ρ_w − ρ_l. The + sign (where cDPO has −) makes it an unbiased estimate of the DPO loss on the clean
 * labels: if the observed pair is the true one with probability 1 − ε and swapped (h → −h) with probability ε, then
 * (1 − ε)·L(h) + ε·L(−h) = −log σ(β·h). The price is that a single pair's loss is not a log-likelihood and can be
 * negative, and its variance grows as ε approaches ½. ε = 0 is DPO.
 */
public final class RobustDpoLoss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "rdpo";

    private final double beta;
    private final double epsilon;

    /**
     * @param beta inverse temperature, finite and &gt; 0
     * @param epsilon the rate at which preference labels are flipped, in [0, 0.5)
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public RobustDpoLoss(double beta, double epsilon) {
        this.beta = Hyperparameters.requireBeta(beta);
        this.epsilon = Hyperparameters.requireEpsilon(epsilon);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double beta() {
        return beta;
    }

    /** The label flip rate ε. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of(PreferenceLosses.EPSILON, epsilon);
    }

    @Override
    public LossOutput compute(PairLogProbs batch) {
        NDArray chosen = batch.chosenLogRatio();
        NDArray rejected = batch.rejectedLogRatio();
        NDArray margin = Scalars.mul(chosen.sub(rejected), beta);
        NDArray loss = Scalars.mul(Scalars.mul(Activation.softPlus(margin.neg()), 1 - epsilon)
                .sub(Scalars.mul(Activation.softPlus(margin), epsilon)), 1 / (1 - 2 * epsilon))
                .mean();
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss);
    }
}
