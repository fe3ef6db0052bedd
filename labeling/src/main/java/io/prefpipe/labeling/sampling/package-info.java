/**
 * Statistical rejection sampling (RSO; Liu et al., "Statistical Rejection Sampling Improves Preference
 * Optimization", ICLR 2024) as pure, seeded Java: {@link io.prefpipe.labeling.sampling.RejectionSampler} draws
 * candidates of one prompt from the reward-tilted policy, and {@link io.prefpipe.labeling.sampling.Pairing} turns the
 * accepted samples into preference pairs. Reading and writing files lives in the {@code jsonl} sub-package.
 */
package io.prefpipe.labeling.sampling;
