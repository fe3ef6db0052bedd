/**
 * The policy: a byte-level tokenizer, a decoder-only causal Transformer written as a DJL block, and {@link
 * io.prefpipe.optimizer.model.PolicyModel}, which owns the native memory and computes masked per-sequence
 * log-probabilities and samples.
 */
package io.prefpipe.optimizer.model;
