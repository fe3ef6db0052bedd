/**
 * Training a reward model: {@link io.prefpipe.reward.train.RewardModelTrainer} runs the optimizer's loop with the
 * Bradley-Terry loss over a seeded train/held-out split ({@link io.prefpipe.optimizer.data.HeldOutSplit}) and returns a
 * {@link io.prefpipe.reward.train.RewardTrainingResult} with pairwise accuracy and loss on both parts.
 */
package io.prefpipe.reward.train;
