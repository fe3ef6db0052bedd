/**
 * Losses on per-sequence log-probabilities: {@link io.prefpipe.optimizer.loss.DpoLoss} for preference optimization
 * and {@link io.prefpipe.optimizer.loss.SequenceNllLoss} for supervised warm-up. Both follow the DJL {@code Loss}
 * contract: non-negative and averaged over the batch.
 */
package io.prefpipe.optimizer.loss;
