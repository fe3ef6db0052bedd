/**
 * Reward models as the pairwise {@link io.prefpipe.optimizer.online.PreferenceModel} that online optimizers such as
 * Nash-MD query: {@link io.prefpipe.reward.preference.RewardPreferenceModel}.
 */
package io.prefpipe.reward.preference;
