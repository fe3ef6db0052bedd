package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.loss.DpoLoss;

/**
 * Hyperparameters of a training run; exactly one of {@code steps} and {@code epochs} is positive.
 *
 * @param learningRate AdamW step size; default 1e-3
 * @param batchSize examples (preference pairs for DPO) per step; default 8
 * @param steps optimizer steps, or 0 when {@code epochs} is set; default 100
 * @param epochs passes over the data, or 0 when {@code steps} is set
 * @param beta DPO inverse temperature β (ignored by SFT); default {@value DpoLoss#DEFAULT_BETA}
 * @param seed seeds the batch order (and dropout, when the policy has any); default 42
 * @param weightDecay AdamW decoupled weight decay; default 0
 * @param maxGradNorm clip the global L2 norm of the gradients to this; 0 disables clipping; default 1
 */
public record TrainingConfig(
        double learningRate,
        int batchSize,
        int steps,
        int epochs,
        double beta,
        long seed,
        double weightDecay,
        double maxGradNorm) {

    public TrainingConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (steps < 0 || epochs < 0 || (steps > 0) == (epochs > 0)) {
            throw new IllegalArgumentException("exactly one of steps and epochs must be positive, got steps " + steps
                    + " and epochs " + epochs);
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("maxGradNorm must be finite and >= 0 (0 disables clipping), got "
                    + maxGradNorm);
        }
    }

    /** The default configuration. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Optimizer steps for a data set of {@code examples}: {@code steps}, or {@code ⌈epochs · examples / b⌉} with b =
     * min(batchSize, examples).
     */
    public int totalSteps(int examples) {
        if (steps > 0) {
            return steps;
        }
        if (examples < 1) {
            throw new IllegalArgumentException("no examples to train on");
        }
        long perBatch = Math.min(batchSize, examples);
        return Math.toIntExact(((long) epochs * examples + perBatch - 1) / perBatch);
    }

    /** Builds a {@link TrainingConfig}; every setting is optional, validated by {@link #build()}. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private int batchSize = 8;
        private Integer steps;
        private Integer epochs;
        private double beta = DpoLoss.DEFAULT_BETA;
        private long seed = 42;
        private double weightDecay;
        private double maxGradNorm = 1.0;

        private Builder() {}

        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Trains for a number of optimizer steps; excludes {@link #setEpochs}. */
        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Trains for a number of passes over the data; excludes {@link #setSteps}. */
        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder setBeta(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder setWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Sets the gradient clipping norm; 0 disables clipping. */
        public Builder setMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /**
         * Builds the configuration; with neither steps nor epochs set, it trains for 100 steps.
         *
         * @throws IllegalArgumentException naming the field, if a setting is out of range or both steps and epochs
         *     were set
         */
        public TrainingConfig build() {
            if (steps != null && epochs != null) {
                throw new IllegalArgumentException("set steps or epochs, not both (got steps " + steps + " and epochs "
                        + epochs + ")");
            }
            int s = steps != null ? steps : epochs == null ? 100 : 0;
            int e = epochs != null ? epochs : 0;
            return new TrainingConfig(learningRate, batchSize, s, e, beta, seed, weightDecay, maxGradNorm);
        }
    }
}
