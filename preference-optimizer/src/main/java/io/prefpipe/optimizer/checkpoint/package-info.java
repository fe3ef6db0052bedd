/**
 * Checkpoints: a folder with the trained policy ({@code model/}) and a {@code manifest.json} that records how it was
 * trained and on exactly which data (the snapshot's files, checksums and Kafka offset ranges). Written atomically by
 * {@link io.prefpipe.optimizer.checkpoint.CheckpointWriter}, opened by {@link
 * io.prefpipe.optimizer.checkpoint.Checkpoint#open(java.nio.file.Path)}.
 */
package io.prefpipe.optimizer.checkpoint;
