/**
 * Bradley-Terry reward models on the policy's Transformer backbone.
 *
 * <ul>
 *   <li>{@link io.prefpipe.reward.model}: the reward model r(x, y), its scores and persistence;
 *   <li>{@link io.prefpipe.reward.loss}: the Bradley-Terry loss and pairwise metrics;
 *   <li>{@link io.prefpipe.reward.train}: training with a held-out split;
 *   <li>{@link io.prefpipe.reward.preference}: P(y ≻ y' | x) from a reward model, for online optimizers.
 * </ul>
 */
package io.prefpipe.reward;
