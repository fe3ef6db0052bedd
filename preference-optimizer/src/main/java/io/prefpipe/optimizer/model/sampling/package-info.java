/**
 * Sampling settings and results: {@link io.prefpipe.optimizer.model.sampling.SamplingOptions} (temperature, top-k,
 * top-p, length, seed), {@link io.prefpipe.optimizer.model.sampling.TokenChooser}, which draws one token from a row of
 * logits under them, and {@link io.prefpipe.optimizer.model.sampling.Sample}. The decoding loop with its key/value
 * cache is {@link io.prefpipe.optimizer.model.PolicyModel#sample(java.util.List, SamplingOptions)}.
 */
package io.prefpipe.optimizer.model.sampling;
