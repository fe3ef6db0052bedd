package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What a pairwise preference loss sees of a batch of B pairs: per-sequence log-probabilities summed over the response
 * tokens only, and how many tokens each response has. All arrays are (B,) float32 in one manager; the policy arrays
 * carry the gradient, the reference arrays do not.
 *
 * @param policyChosen log π_θ(y_w | x)
 * @param policyRejected log π_θ(y_l | x)
 * @param refChosen log π_ref(y_w | x)
 * @param refRejected log π_ref(y_l | x)
 * @param chosenTokens |y_w|, the number of scored response tokens of the chosen response (≥ 1)
 * @param rejectedTokens |y_l|, likewise for the rejected response
 */
public record PairLogProbs(
        NDArray policyChosen,
        NDArray policyRejected,
        NDArray refChosen,
        NDArray refRejected,
        NDArray chosenTokens,
        NDArray rejectedTokens) {

    public PairLogProbs {
        Objects.requireNonNull(policyChosen, "policyChosen");
        Objects.requireNonNull(policyRejected, "policyRejected");
        Objects.requireNonNull(refChosen, "refChosen");
        Objects.requireNonNull(refRejected, "refRejected");
        Objects.requireNonNull(chosenTokens, "chosenTokens");
        Objects.requireNonNull(rejectedTokens, "rejectedTokens");
        Shape shape = policyChosen.getShape();
        if (shape.dimension() != 1 || shape.size() == 0) {
            throw new IllegalArgumentException("policyChosen must have shape (B,) with B >= 1, got " + shape);
        }
        requireShape("policyRejected", policyRejected, shape);
        requireShape("refChosen", refChosen, shape);
        requireShape("refRejected", refRejected, shape);
        requireShape("chosenTokens", chosenTokens, shape);
        requireShape("rejectedTokens", rejectedTokens, shape);
    }

    private static void requireShape(String field, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    field + " must have the shape of policyChosen " + expected + ", got " + array.getShape());
        }
    }

    /** ρ_w = log π_θ(y_w|x) − log π_ref(y_w|x). */
    public NDArray chosenLogRatio() {
        return policyChosen.sub(refChosen);
    }

    /** ρ_l = log π_θ(y_l|x) − log π_ref(y_l|x). */
    public NDArray rejectedLogRatio() {
        return policyRejected.sub(refRejected);
    }
}
