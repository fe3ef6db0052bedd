package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Map;

/**
 * The hinge loss on the implicit reward margin, as in SLiC (Zhao et al., 2023, "SLiC-HF: Sequence Likelihood
 * Calibration with Human Feedback") and the hinge-norm loss of RSO (Liu et al., 2024, "Statistical Rejection Sampling
 * Improves Preference Optimization"):
 *
 * <pre>
 *   L = mean over the batch of max(0, 1 − β·h)
 * </pre>
 *
 * with h = ρ_w − ρ_l. Pairs whose margin β·h already exceeds 1 contribute neither loss nor gradient, so training
 * spends its steps on the pairs still ranked wrongly or too narrowly; 1/β is the log-ratio margin asked for.
 */
public final class HingeLoss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "hinge";

    private final double beta;

    /**
     * @param beta inverse temperature, finite and &gt; 0
     * @throws IllegalArgumentException if beta is out of range
     */
    public HingeLoss(double beta) {
        this.beta = Hyperparameters.requireBeta(beta);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double beta() {
        return beta;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of();
    }

    @Override
    public LossOutput compute(PairLogProbs batch) {
        NDArray chosen = batch.chosenLogRatio();
        NDArray rejected = batch.rejectedLogRatio();
        NDArray loss = Activation.relu(Scalars.mul(chosen.sub(rejected), -beta).add(1)).mean();
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss);
    }
}
