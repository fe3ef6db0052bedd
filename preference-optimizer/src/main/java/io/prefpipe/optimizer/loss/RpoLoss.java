package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Map;

/**
 * The loss of iterative Reasoning Preference Optimization (RPO; Pang et al., 2024, "Iterative Reasoning Preference
 * Optimization"): DPO plus a negative log-likelihood term on the chosen responses,
 *
 * <pre>
 *   L   = mean over the batch of −log σ(β·h)  +  α·NLL
 *   NLL = −Σ_b log π_θ(y_w,b | x_b) / Σ_b |y_w,b|
 * </pre>
 *
 * the NLL being the mean over the chosen responses' tokens, as {@link SequenceNllLoss} computes it. DPO alone can
 * raise the margin h by lowering both log-probabilities, the chosen one included; the NLL term keeps the chosen
 * responses likely. The metrics add {@code nll}.
 */
public final class RpoLoss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "rpo";

    /** The NLL weight of the paper's experiments. */
    public static final double DEFAULT_ALPHA = 1.0;

    private final double beta;
    private final double alpha;

    /** RPO with α = {@value #DEFAULT_ALPHA}. */
    public RpoLoss(double beta) {
        this(beta, DEFAULT_ALPHA);
    }

    /**
     * @param beta inverse temperature, finite and &gt; 0
     * @param alpha weight of the NLL term, finite and ≥ 0
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public RpoLoss(double beta, double alpha) {
        this.beta = Hyperparameters.requireBeta(beta);
        this.alpha = Hyperparameters.requireNonNegative("alpha", alpha);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double beta() {
        return beta;
    }

    /** The NLL weight α. */
    public double alpha() {
        return alpha;
    }

    @Override
    public Map<String, Double> parameters() {
        return Map.of(PreferenceLosses.ALPHA, alpha);
    }

    @Override
    public LossOutput compute(PairLogProbs batch) {
        NDArray chosen = batch.chosenLogRatio();
        NDArray rejected = batch.rejectedLogRatio();
        NDArray dpo = Activation.softPlus(Scalars.mul(chosen.sub(rejected), -beta)).mean();
        NDArray nll = new SequenceNllLoss().evaluate(
                new NDList(batch.chosenTokens().toType(DataType.FLOAT32, false)), new NDList(batch.policyChosen()));
        // a float, not a double: a double scalar would promote the 0-d loss to float64
        NDArray loss = dpo.add(Scalars.mul(nll, alpha));
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss, Map.of("nll", (double) nll.getFloat()));
    }
}
