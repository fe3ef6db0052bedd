package io.prefpipe.reward.train;

import io.prefpipe.optimizer.train.TrainingConfig;
import java.util.Objects;

/**
 * Settings of a reward model training run.
 *
 * @param training optimizer settings: learning rate, batch size (pairs per step), steps or epochs over the training
 *     split, seed of the batch order, weight decay, gradient clipping; {@code beta} is unused; default {@link
 *     TrainingConfig#defaults()}
 * @param heldOutFraction fraction of the pairs kept out of training to measure generalization, in [0, 1); default
 *     {@value #DEFAULT_HELD_OUT_FRACTION}
 * @param splitSeed seed of the train/held-out split, separate from the batch order's so that runs with different
 *     training seeds are measured on the same held-out pairs; default {@value #DEFAULT_SPLIT_SEED}
 * @param centering the {@link io.prefpipe.reward.loss.BradleyTerryLoss} centering coefficient; default 0
 */
public record RewardTrainingConfig(TrainingConfig training, double heldOutFraction, long splitSeed, double centering) {

    public static final double DEFAULT_HELD_OUT_FRACTION = 0.1;
    public static final long DEFAULT_SPLIT_SEED = 42;

    public RewardTrainingConfig {
        Objects.requireNonNull(training, "training");
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + heldOutFraction);
        }
        if (!(centering >= 0) || Double.isInfinite(centering)) {
            throw new IllegalArgumentException("centering must be finite and >= 0, got " + centering);
        }
    }

    /** The default configuration. */
    public static RewardTrainingConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RewardTrainingConfig}; every setting is optional and validated by {@link #build()}. */
    public static final class Builder {
        private TrainingConfig training = TrainingConfig.defaults();
        private double heldOutFraction = DEFAULT_HELD_OUT_FRACTION;
        private long splitSeed = DEFAULT_SPLIT_SEED;
        private double centering;

        private Builder() {}

        public Builder setTraining(TrainingConfig training) {
            this.training = training;
            return this;
        }

        /** Sets the held-out fraction; 0 trains on every pair and measures nothing held out. */
        public Builder setHeldOutFraction(double heldOutFraction) {
            this.heldOutFraction = heldOutFraction;
            return this;
        }

        public Builder setSplitSeed(long splitSeed) {
            this.splitSeed = splitSeed;
            return this;
        }

        public Builder setCentering(double centering) {
            this.centering = centering;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming the field, if a setting is out of range
         */
        public RewardTrainingConfig build() {
            return new RewardTrainingConfig(training, heldOutFraction, splitSeed, centering);
        }
    }
}
