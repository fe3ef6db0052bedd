/**
 * Losses on log-probabilities of responses.
 *
 * <p>Pairwise preference losses implement {@link io.prefpipe.optimizer.loss.PairwisePreferenceLoss} over {@link
 * io.prefpipe.optimizer.loss.PairLogProbs}: {@link io.prefpipe.optimizer.loss.DpoLoss}, its label-noise variants
 * {@link io.prefpipe.optimizer.loss.ConservativeDpoLoss} and {@link io.prefpipe.optimizer.loss.RobustDpoLoss}, {@link
 * io.prefpipe.optimizer.loss.IpoLoss}, {@link io.prefpipe.optimizer.loss.HingeLoss} and {@link
 * io.prefpipe.optimizer.loss.RpoLoss}; {@link io.prefpipe.optimizer.loss.PreferenceLosses} builds one from its name.
 * They all report the same reward statistics, so their runs can be compared.
 *
 * <p>{@link io.prefpipe.optimizer.loss.LipoLambdaLoss} ranks lists of responses ({@link
 * io.prefpipe.optimizer.loss.ListLogProbs}); {@link io.prefpipe.optimizer.loss.NashMdLoss} is the online
 * policy-gradient loss on the policy's own samples ({@link io.prefpipe.optimizer.loss.SampleLogProbs}); {@link
 * io.prefpipe.optimizer.loss.SequenceNllLoss} is the supervised warm-up.
 */
package io.prefpipe.optimizer.loss;
