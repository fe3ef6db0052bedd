package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Map;

/**
 * Conservative DPO (cDPO; Mitchell, 2023, "A note on DPO with noisy preferences"): DPO against labels smoothed by ε,
 * i.e. the cross-entropy with a target that believes each label only with probability 1 − ε:
 *
 * <pre>
 *   L = mean over the batch of −(1 − ε)·log σ(β·h) − ε·log σ(−β·h)
 *     = mean (1 − ε)·softplus(−β·h) + ε·softplus(β·h)
 * </pre>
 *
 * with h = ρ_w − ρ_l. Unlike DPO, whose loss keeps falling as h grows, this one is minimal at σ(β·h) = 1 − ε, so a
 * pair the policy already separates confidently stops pulling h further; that caps the damage of a mislabelled pair.
 * ε = 0 is DPO.
 */
public final class ConservativeDpoLoss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "cdpo";

    private final double beta;
    private final double epsilon;

    /**
     * @param beta inverse temperature, finite and &gt; 0
     * @param epsilon label smoothing, the assumed probability that a label is flipped, in [0, 0.5)
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public ConservativeDpoLoss(double beta, double epsilon) {
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

    /** The label smoothing ε. */
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
        NDArray loss = Scalars.mul(Activation.softPlus(margin.neg()), 1 - epsilon)
                .add(Scalars.mul(Activation.softPlus(margin), epsilon))
                .mean();
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss);
    }
}
