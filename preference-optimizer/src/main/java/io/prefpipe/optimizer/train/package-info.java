/**
 * Training loops over a {@link io.prefpipe.optimizer.model.PolicyModel}: {@link
 * io.prefpipe.optimizer.train.SftTrainer} (supervised warm-up) and {@link
 * io.prefpipe.optimizer.train.PreferenceTrainer} (any pairwise preference loss against a frozen reference, whose
 * log-probabilities are computed once and cached by {@link io.prefpipe.optimizer.train.ReferenceLogProbs}).
 *
 * <p>They run on the shared, model-agnostic {@link io.prefpipe.optimizer.train.OptimizationLoop}: micro-batches with
 * gradient accumulation, global-norm clipping, an {@link io.prefpipe.optimizer.train.AdamW} whose state can be saved,
 * the rate of a {@link io.prefpipe.optimizer.train.LearningRateSchedule}, a seeded batch order, progress to a {@link
 * io.prefpipe.optimizer.train.TrainingListener} (e.g. {@link io.prefpipe.optimizer.train.JsonlMetricsListener}), and
 * {@link io.prefpipe.optimizer.train.TrainingState}s written atomically by a {@link
 * io.prefpipe.optimizer.train.TrainingStateStore}, from which a run resumes exactly.
 */
package io.prefpipe.optimizer.train;
