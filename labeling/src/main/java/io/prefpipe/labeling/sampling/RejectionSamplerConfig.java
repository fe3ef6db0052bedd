package io.prefpipe.labeling.sampling;

/**
 * Settings of a {@link RejectionSampler}.
 *
 * @param n how many candidates to accept per prompt ({@code num_samples} in the paper); at least 1. The paper
 *     samples 64 candidates and accepts 8.
 * @param beta the temperature β of the KL-constrained reward maximisation; finite and &gt; 0. Small β trusts the
 *     reward model (β → 0 is best-of-N), large β accepts almost anything (β → ∞ keeps the first n). The paper uses
 *     0.5.
 */
public record RejectionSamplerConfig(int n, double beta) {
    /** The paper's default: accept 8. */
    public static final int DEFAULT_N = 8;

    /** The paper's default temperature. */
    public static final double DEFAULT_BETA = 0.5;

    /** @throws IllegalArgumentException naming the field when {@code n < 1} or {@code beta} is not finite and &gt; 0 */
    public RejectionSamplerConfig {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0, was " + beta);
        }
    }
}
