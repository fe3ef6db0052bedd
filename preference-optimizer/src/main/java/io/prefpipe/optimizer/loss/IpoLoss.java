package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * Identity Preference Optimization (IPO; Azar et al., 2023, "A General Theoretical Paradigm to Understand Learning
 * from Human Preferences"): a squared loss that regresses the log-ratio difference onto a fixed target instead of
 * pushing it to infinity, so it does not overfit deterministic preferences the way DPO does:
 *
 * <pre>
 *   L = mean over the batch of (h̄ − 1/(2β))²
 * </pre>
 *
 * By default h̄ is built from length-normalised log-probabilities, each sequence's summed log-probability (policy and
 * reference alike) divided by its response length clamped to ≥ 1: h̄ = ρ_w/|y_w| − ρ_l/|y_l|. Per-token averages keep
 * the fixed target 1/(2β) on the same scale for short and long responses, as the common implementations do; the
 * paper's own form, h̄ = h = ρ_w − ρ_l on summed log-probabilities, is selected with {@code lengthNormalized = false}.
 *
 * <p>The reward statistics are those of every other loss, from the unnormalised ρ, so runs with different losses stay
 * comparable.
 */
public final class IpoLoss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "ipo";

    private final double beta;
    private final boolean lengthNormalized;

    /** IPO on length-normalised log-probabilities. */
    public IpoLoss(double beta) {
        this(beta, true);
    }

    /**
     * @param beta inverse temperature, finite and &gt; 0; the target log-ratio difference is 1/(2β)
     * @param lengthNormalized whether h̄ divides each log-ratio by its response length
     * @throws IllegalArgumentException if beta is out of range
     */
    public IpoLoss(double beta, boolean lengthNormalized) {
        this.beta = Hyperparameters.requireBeta(beta);
        this.lengthNormalized = lengthNormalized;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double beta() {
        return beta;
    }

    /** Whether h̄ is built from per-token log-ratios. */
    public boolean lengthNormalized() {
        return lengthNormalized;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of(PreferenceLosses.LENGTH_NORMALIZED, lengthNormalized ? 1.0 : 0.0);
    }

    @Override
    public LossOutput compute(PairLogProbs batch) {
        NDArray chosen = batch.chosenLogRatio();
        NDArray rejected = batch.rejectedLogRatio();
        NDArray difference = lengthNormalized
                ? chosen.div(tokens(batch.chosenTokens())).sub(rejected.div(tokens(batch.rejectedTokens())))
                : chosen.sub(rejected);
        NDArray loss = difference.sub(1 / (2 * beta)).square().mean();
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss);
    }

    private static NDArray tokens(NDArray counts) {
        return counts.toType(DataType.FLOAT32, false).maximum(1f);
    }
}
