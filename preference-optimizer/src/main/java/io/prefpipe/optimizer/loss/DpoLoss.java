package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Map;

/**
 * Direct Preference Optimization loss (Rafailov et al., 2023, "Direct Preference Optimization: Your Language Model is
 * Secretly a Reward Model"). For a prompt x with chosen response y_w and rejected response y_l:
 *
 * <pre>
 *   ρ_w = log π_θ(y_w | x) − log π_ref(y_w | x)
 *   ρ_l = log π_θ(y_l | x) − log π_ref(y_l | x)
 *   h   = ρ_w − ρ_l
 *   L   = mean over the batch of −log σ(β·h) = mean softplus(−β·h)
 * </pre>
 *
 * The softplus form is exact and stays finite for any h, where log(sigmoid(·)) underflows to −∞ for large negative
 * arguments. ∂L/∂log π_θ(y_w|x) = −β·σ(−β·h)/B &lt; 0: lowering the loss raises the chosen log-probability and lowers
 * the rejected one, more so for pairs the policy still ranks wrongly. β (default {@value #DEFAULT_BETA}) is the
 * strength of the implicit KL penalty towards π_ref: smaller β lets the policy move further.
 *
 * <p>Inputs are per-sequence log-probabilities, each of shape (B,). As a DJL {@link Loss},
 * {@code evaluate(labels, predictions)} takes {@code labels = [ref chosen, ref rejected]} and {@code predictions =
 * [policy chosen, policy rejected]}.
 */
public final class DpoLoss extends Loss implements PairwisePreferenceLoss {

    /** The name in the CLI and manifests. */
    public static final String NAME = "dpo";

    /** The β of the DPO paper's experiments. */
    public static final double DEFAULT_BETA = 0.1;

    private final double beta;

    /** DPO with β = {@value #DEFAULT_BETA}. */
    public DpoLoss() {
        this(DEFAULT_BETA);
    }

    /**
     * DPO with the given β.
     *
     * @throws IllegalArgumentException if beta is not finite and positive
     */
    public DpoLoss(double beta) {
        super(NAME);
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
        return PreferenceStatistics.of(chosen, rejected, beta).output(loss(chosen, rejected));
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return loss(predictions.get(0).sub(labels.get(0)), predictions.get(1).sub(labels.get(1)));
    }

    /**
     * The loss and its batch statistics; all inputs (B,).
     *
     * @return the scalar loss (differentiable w.r.t. the policy inputs) and the metrics
     */
    public Output compute(NDArray policyChosen, NDArray policyRejected, NDArray refChosen, NDArray refRejected) {
        NDArray chosen = policyChosen.sub(refChosen);
        NDArray rejected = policyRejected.sub(refRejected);
        NDArray loss = loss(chosen, rejected);
        return new Output(loss, PreferenceStatistics.of(chosen, rejected, beta).dpoMetrics(loss.getFloat()));
    }

    private NDArray loss(NDArray chosenLogRatio, NDArray rejectedLogRatio) {
        return Activation.softPlus(Scalars.mul(chosenLogRatio.sub(rejectedLogRatio), -beta)).mean();
    }

    /**
     * The result of {@link #compute}.
     *
     * @param loss scalar loss to back-propagate
     * @param metrics the batch statistics, loss included
     */
    public record Output(NDArray loss, DpoMetrics metrics) {}
}
