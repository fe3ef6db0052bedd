package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The online Nash-MD policy-gradient loss (Munos et al., 2023, "Nash Learning from Human Feedback"). For each prompt
 * x the policy samples y, the preference model compares it with a response y' sampled from the geometric mixture of
 * policy and reference, and with ℓ_t, ℓ^ref_t the per-token log-probabilities of y under π_θ and π_ref:
 *
 * <pre>
 *   L = mean over the samples of  β·Σ_t sg(ℓ_t − ℓ^ref_t)·ℓ_t  −  (P(y ≻ y') − ½)·Σ_t ℓ_t
 * </pre>
 *
 * sg being stop-gradient. Its gradient is a REINFORCE estimate of the gradient of β·KL(π_θ ‖ π_ref) − P(π_θ ≻
 * mixture): ∂L/∂ℓ_t = [β·(ℓ_t − ℓ^ref_t) − (P − ½)]/B, where ½ is the baseline that a sample as good as its opponent
 * earns, so such a sample is pushed only by the KL term. The value of L itself is not an objective to read, only its
 * gradient is.
 *
 * <p>Metrics: {@code loss}; {@code kl}, the mean over the samples of Σ_t (ℓ_t − ℓ^ref_t), an on-policy k1 estimate of
 * the sequence-level KL(π_θ ‖ π_ref) since y was drawn from π_θ; {@code preference}, the mean P; {@code entropy}, the
 * mean −Σ_t ℓ_t, likewise an estimate of the policy's sequence entropy.
 */
public final class NashMdLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "nash-md";

    /** The default KL-regularization strength. */
    public static final double DEFAULT_BETA = 0.1;

    private final double beta;

    /** Nash-MD with β = {@value #DEFAULT_BETA}. */
    public NashMdLoss() {
        this(DEFAULT_BETA);
    }

    /**
     * @param beta KL-regularization strength, finite and &gt; 0
     * @throws IllegalArgumentException if beta is out of range
     */
    public NashMdLoss(double beta) {
        this.beta = Hyperparameters.requireBeta(beta);
    }

    /** The KL-regularization strength β. */
    public double beta() {
        return beta;
    }

    /**
     * The scalar loss (differentiable w.r.t. the policy's token log-probabilities) and the batch's statistics.
     *
     * @throws IllegalArgumentException if a preference is outside [0, 1]
     */
    public LossOutput compute(SampleLogProbs batch) {
        float[] preference = batch.preference().toType(DataType.FLOAT32, false).toFloatArray();
        double preferenceSum = 0;
        for (int i = 0; i < preference.length; i++) {
            if (!(preference[i] >= 0 && preference[i] <= 1)) {
                throw new IllegalArgumentException("preference[" + i + "] must be in [0, 1], got " + preference[i]);
            }
            preferenceSum += preference[i];
        }
        NDArray valid = batch.mask().toType(DataType.BOOLEAN, false);
        // padded positions may hold anything, −∞ included; zero them so they cannot leak into sums or the graph
        NDArray policy = NDArrays.where(valid, batch.policyTokens(), batch.policyTokens().zerosLike());
        NDArray reference = NDArrays.where(valid, batch.referenceTokens(), batch.referenceTokens().zerosLike());
        NDArray logRatio = policy.sub(reference).stopGradient();
        int[] tokens = {1};
        NDArray klTerm = Scalars.mul(logRatio.mul(policy).sum(tokens), beta);
        NDArray sequenceLogProb = policy.sum(tokens);
        NDArray advantage = batch.preference().toType(DataType.FLOAT32, false).sub(0.5f);
        NDArray loss = klTerm.sub(advantage.mul(sequenceLogProb)).mean();

        int samples = preference.length;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) loss.getFloat());
        metrics.put("kl", (double) logRatio.sum().getFloat() / samples);
        metrics.put("preference", preferenceSum / samples);
        metrics.put("entropy", (double) -sequenceLogProb.sum().getFloat() / samples);
        return new LossOutput(loss, metrics);
    }
}
