package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What an online preference loss sees of B responses the policy sampled itself, one per prompt: per-token
 * log-probabilities of each sample under the policy and the reference, which tokens are the sample's, and how much
 * the preference model prefers the sample to an opponent response. The token arrays are (B, T), padded to the longest
 * sample; the policy array carries the gradient.
 *
 * @param policyTokens ℓ_t = log π_θ(y_t | x, y_&lt;t)
 * @param referenceTokens ℓ^ref_t = log π_ref(y_t | x, y_&lt;t)
 * @param mask (B, T), nonzero on the sample's tokens; padded positions are ignored whatever they hold
 * @param preference (B,), P(y ≻ y' | x) ∈ [0, 1] from the preference model
 */
public record SampleLogProbs(NDArray policyTokens, NDArray referenceTokens, NDArray mask, NDArray preference) {

    public SampleLogProbs {
        Objects.requireNonNull(policyTokens, "policyTokens");
        Objects.requireNonNull(referenceTokens, "referenceTokens");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(preference, "preference");
        Shape shape = policyTokens.getShape();
        if (shape.dimension() != 2 || shape.size() == 0) {
            throw new IllegalArgumentException("policyTokens must have shape (B, T) with B, T >= 1, got " + shape);
        }
        if (!referenceTokens.getShape().equals(shape)) {
            throw new IllegalArgumentException("referenceTokens must have the shape of policyTokens " + shape
                    + ", got " + referenceTokens.getShape());
        }
        if (!mask.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "mask must have the shape of policyTokens " + shape + ", got " + mask.getShape());
        }
        if (!preference.getShape().equals(new Shape(shape.get(0)))) {
            throw new IllegalArgumentException(
                    "preference must have shape (" + shape.get(0) + ",), got " + preference.getShape());
        }
    }
}
