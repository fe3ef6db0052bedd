package io.prefpipe.reward.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.prefpipe.optimizer.internal.Scalars;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bradley-Terry loss of a reward model r over preference pairs: for pair i, chosen response y_c and rejected y_r of
 * prompt x,
 *
 * <pre>
 *   Δ_i = r(x_i, y_c) − r(x_i, y_r) − m_i
 *   L   = mean_i softplus(−Δ_i) + c · mean_i (r(x_i, y_c) + r(x_i, y_r))²
 * </pre>
 *
 * softplus(−Δ) = −log σ(Δ) is the negative log-likelihood of the preference under the Bradley-Terry model P(y_c ≻
 * y_r) = σ(r_c − r_r); the softplus form stays finite where log(σ(Δ)) underflows to −∞ for very negative Δ. The
 * gradients are
 *
 * <pre>
 *   ∂L/∂r_c,i = (−σ(−Δ_i) + 2c·(r_c,i + r_r,i)) / B
 *   ∂L/∂r_r,i = ( σ(−Δ_i) + 2c·(r_c,i + r_r,i)) / B
 * </pre>
 *
 * <ul>
 *   <li>margin m_i ≥ 0 (Touvron et al., 2023, Llama 2): the pair costs little only once it is won by more than m_i,
 *       e.g. a larger margin for a clearer preference; default 0;
 *   <li>centering coefficient c ≥ 0 (Eisenstein et al., 2023, "Helping or Herding?"): the Bradley-Terry likelihood
 *       does not change when a constant is added to r, so nothing fixes where rewards sit; the penalty keeps the
 *       mean reward of each pair near 0, which makes scores of different runs comparable; default 0 (off).
 * </ul>
 *
 * <p>Inputs are rewards of shape (B,). As a DJL {@link Loss}, {@code evaluate(labels, predictions)} takes {@code
 * predictions = [chosen rewards, rejected rewards]} and {@code labels = [margins]} (or no labels for margin 0).
 * Immutable.
 */
public final class BradleyTerryLoss extends Loss {

    private final double centering;

    /** The plain Bradley-Terry loss, without centering. */
    public BradleyTerryLoss() {
        this(0);
    }

    /**
     * The Bradley-Terry loss with a centering penalty.
     *
     * @throws IllegalArgumentException if centering is negative or not finite
     */
    public BradleyTerryLoss(double centering) {
        super("bradley_terry");
        if (!(centering >= 0) || Double.isInfinite(centering)) {
            throw new IllegalArgumentException("centering must be finite and >= 0, got " + centering);
        }
        this.centering = centering;
    }

    /** The centering coefficient c. */
    public double centering() {
        return centering;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.isEmpty()) {
            return compute(predictions.get(0), predictions.get(1)).loss();
        }
        return compute(predictions.get(0), predictions.get(1), labels.singletonOrThrow()).loss();
    }

    /** The loss with every margin 0. */
    public Output compute(NDArray chosen, NDArray rejected) {
        return compute(chosen, rejected, null);
    }

    /**
     * The loss and its batch statistics.
     *
     * @param chosen (B,) rewards of the chosen responses
     * @param rejected (B,) rewards of the rejected responses
     * @param margins (B,) margins m_i, or null for 0
     * @return the scalar loss, differentiable w.r.t. the rewards, and {@code loss}, {@code accuracy} (fraction of
     *     pairs with r_c &gt; r_r) and {@code margin} (mean r_c − r_r)
     * @throws IllegalArgumentException if the shapes differ or are not (B,) with B ≥ 1
     */
    public Output compute(NDArray chosen, NDArray rejected, NDArray margins) {
        requirePairShape("rejected", chosen, rejected);
        if (margins != null) {
            requirePairShape("margins", chosen, margins);
        }
        NDArray difference = chosen.sub(rejected);
        NDArray shifted = margins == null ? difference : difference.sub(margins);
        NDArray loss = Activation.softPlus(shifted.neg()).mean();
        if (centering > 0) {
            loss = loss.add(Scalars.mul(chosen.add(rejected).square().mean(), centering));
        }
        // statistics are read on the host: a handful of floats, no extra graph nodes
        float[] differences = difference.toFloatArray();
        int correct = 0;
        double sum = 0;
        for (float d : differences) {
            correct += d > 0 ? 1 : 0;
            sum += d;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) loss.getFloat());
        metrics.put("accuracy", (double) correct / differences.length);
        metrics.put("margin", sum / differences.length);
        return new Output(loss, metrics);
    }

    private static void requirePairShape(String field, NDArray chosen, NDArray other) {
        if (chosen.getShape().dimension() != 1 || chosen.getShape().size() == 0) {
            throw new IllegalArgumentException("chosen rewards must have shape (B,) with B >= 1, got "
                    + chosen.getShape());
        }
        if (!other.getShape().equals(chosen.getShape())) {
            throw new IllegalArgumentException(field + " must have the shape of the chosen rewards "
                    + chosen.getShape() + ", got " + other.getShape());
        }
    }

    /**
     * The result of {@link #compute}.
     *
     * @param loss scalar to back-propagate
     * @param metrics {@code loss}, {@code accuracy} and {@code margin}, in that order
     */
    public record Output(NDArray loss, Map<String, Double> metrics) {
        public Output {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
}
