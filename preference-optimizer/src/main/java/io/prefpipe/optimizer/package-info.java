/**
 * Preference optimization of small policy language models on DJL/PyTorch.
 *
 * <ul>
 *   <li>{@link io.prefpipe.optimizer.model}: the byte-level causal Transformer policy, its log-probabilities and sampling;
 *   <li>{@link io.prefpipe.optimizer.loss}: the DPO loss and the supervised (SFT) loss;
 *   <li>{@link io.prefpipe.optimizer.data}: preference examples read from a curated snapshot;
 *   <li>{@link io.prefpipe.optimizer.train}: the SFT warm-up and DPO training loops;
 *   <li>{@link io.prefpipe.optimizer.checkpoint}: atomic checkpoints with their data lineage.
 * </ul>
 */
package io.prefpipe.optimizer;
