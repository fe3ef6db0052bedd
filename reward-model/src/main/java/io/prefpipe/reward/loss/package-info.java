/**
 * The objective of reward modelling, {@link io.prefpipe.reward.loss.BradleyTerryLoss}, and {@link
 * io.prefpipe.reward.loss.PairwiseMetrics}, the accuracy and likelihood of rewards over a set of preference pairs.
 */
package io.prefpipe.reward.loss;
