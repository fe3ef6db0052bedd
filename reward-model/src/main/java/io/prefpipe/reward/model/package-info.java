/**
 * The reward model: {@link io.prefpipe.reward.model.RewardModel}, a policy backbone with a scalar head, its
 * persistence and the description saved with it ({@link io.prefpipe.reward.model.RewardModelInfo}, {@link
 * io.prefpipe.reward.model.TrainingRecord}).
 */
package io.prefpipe.reward.model;
