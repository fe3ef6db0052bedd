/**
 * Training loops over a {@link io.prefpipe.optimizer.model.PolicyModel}: {@link
 * io.prefpipe.optimizer.train.SftTrainer} (supervised warm-up) and {@link io.prefpipe.optimizer.train.DpoTrainer}
 * (preference optimization against a frozen reference). Both use AdamW through a DJL {@code Trainer}, draw batches
 * with a seeded shuffle, report every step to a {@link io.prefpipe.optimizer.train.TrainingListener} and return a
 * {@link io.prefpipe.optimizer.train.TrainingResult}.
 */
package io.prefpipe.optimizer.train;
