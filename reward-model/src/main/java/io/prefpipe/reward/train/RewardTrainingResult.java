package io.prefpipe.reward.train;

import io.prefpipe.optimizer.train.TrainingResult;
import io.prefpipe.reward.loss.PairwiseMetrics;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a reward model training run.
 *
 * @param training steps, per-step losses, final step metrics and wall time of the optimization
 * @param train pairwise accuracy and Bradley-Terry loss on the training pairs after the run
 * @param heldOut the same on the held-out pairs; null when none were held out (see {@link #heldOutMetrics()})
 */
public record RewardTrainingResult(TrainingResult training, PairwiseMetrics train, PairwiseMetrics heldOut) {

    public RewardTrainingResult {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(train, "train");
    }

    /** The held-out metrics, empty when the run held out no pairs. */
    public Optional<PairwiseMetrics> heldOutMetrics() {
        return Optional.ofNullable(heldOut);
    }
}
