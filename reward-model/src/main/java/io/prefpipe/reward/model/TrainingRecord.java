package io.prefpipe.reward.model;

import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.reward.loss.PairwiseMetrics;
import java.time.Instant;
import java.util.Objects;

/**
 * One training run of a reward model: what it learnt from, how, and how well it ranks pairs afterwards.
 *
 * @param finishedTime when the run ended
 * @param source what the caller says the data is, e.g. a snapshot id
 * @param pairs number of preference pairs given, or implied by the ranked lists given, held-out ones included
 * @param pairsSha256 SHA-256 over the pairs' ids and texts in order, to check later which data it was
 * @param heldOutPairs pairs kept out of training to measure generalization
 * @param splitSeed seed of the train/held-out split
 * @param centering the Bradley-Terry centering coefficient
 * @param training optimizer hyperparameters (its {@code beta} is unused by reward modelling)
 * @param steps optimizer steps taken
 * @param trainingSeconds wall time of the steps
 * @param train accuracy and loss on the training pairs after the run
 * @param heldOut accuracy and loss on the held-out pairs after the run; null when none were held out
 */
public record TrainingRecord(
        Instant finishedTime,
        String source,
        int pairs,
        String pairsSha256,
        int heldOutPairs,
        long splitSeed,
        double centering,
        TrainingConfig training,
        int steps,
        double trainingSeconds,
        PairwiseMetrics train,
        PairwiseMetrics heldOut) {

    public TrainingRecord {
        Objects.requireNonNull(finishedTime, "finishedTime");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pairsSha256, "pairsSha256");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(train, "train");
        if (heldOutPairs < 0 || heldOutPairs >= pairs) {
            throw new IllegalArgumentException("heldOutPairs must be in [0, pairs = " + pairs + "), got "
                    + heldOutPairs);
        }
        if ((heldOut == null) != (heldOutPairs == 0)) {
            throw new IllegalArgumentException("heldOut metrics must be given exactly when pairs were held out ("
                    + heldOutPairs + ")");
        }
    }
}
