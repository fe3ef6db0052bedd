package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.loss.DpoLoss;
import java.util.Objects;

/**
 * Hyperparameters of a training run; exactly one of {@code steps} and {@code epochs} is positive.
 *
 * <p>An optimizer step consumes {@code batchSize × gradientAccumulation} examples: that many micro-batches of {@code
 * batchSize}, each back-propagated on its own, whose gradients add up to the gradient of the whole batch before one
 * clipped AdamW update. Memory grows with {@code batchSize}, not with the accumulation.
 *
 * @param learningRate AdamW's peak step size (see {@link LearningRateSchedule}); default 1e-3
 * @param batchSize examples (preference pairs for DPO) per micro-batch; default 8
 * @param steps optimizer steps, or 0 when {@code epochs} is set; default 100
 * @param epochs passes over the data, or 0 when {@code steps} is set
 * @param beta inverse temperature β of the preference loss (ignored by SFT); default {@value DpoLoss#DEFAULT_BETA}
 * @param seed seeds the batch order (and dropout, when the model has any); default 42
 * @param weightDecay AdamW decoupled weight decay λ; default 0
 * @param maxGradNorm clip the global L2 norm of the gradients to this; 0 disables clipping; default 1
 * @param gradientAccumulation micro-batches per optimizer step; default 1
 * @param warmupSteps steps of linear learning-rate warm-up from 0; default 0
 * @param schedule the learning rate after the warm-up; default {@link LearningRateDecay#CONSTANT}
 * @param minLearningRateRatio where a decaying schedule ends, as a fraction of {@code learningRate}; default 0
 * @param adamBeta1 AdamW's first-moment decay β1; default {@value AdamW#DEFAULT_BETA1}
 * @param adamBeta2 AdamW's second-moment decay β2; default {@value AdamW#DEFAULT_BETA2}
 * @param adamEpsilon AdamW's ε; default {@value AdamW#DEFAULT_EPSILON}
 * @param checkpointEvery when a trainer saves training state, it does so every this many steps and after the last;
 *     0 saves only after the last step; default 0
 */
public record TrainingConfig(
        double learningRate,
        int batchSize,
        int steps,
        int epochs,
        double beta,
        long seed,
        double weightDecay,
        double maxGradNorm,
        int gradientAccumulation,
        int warmupSteps,
        LearningRateDecay schedule,
        double minLearningRateRatio,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        int checkpointEvery) {

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
        if (gradientAccumulation < 1) {
            throw new IllegalArgumentException("gradientAccumulation must be >= 1, got " + gradientAccumulation);
        }
        if (warmupSteps < 0 || (steps > 0 && warmupSteps >= steps)) {
            throw new IllegalArgumentException("warmupSteps must be >= 0 and below steps " + steps + ", got "
                    + warmupSteps);
        }
        Objects.requireNonNull(schedule, "schedule");
        if (!(minLearningRateRatio >= 0 && minLearningRateRatio <= 1)) {
            throw new IllegalArgumentException("minLearningRateRatio must be in [0, 1], got " + minLearningRateRatio);
        }
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
            throw new IllegalArgumentException("adamBeta1 must be in [0, 1), got " + adamBeta1);
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw new IllegalArgumentException("adamBeta2 must be in [0, 1), got " + adamBeta2);
        }
        if (!(adamEpsilon > 0) || Double.isInfinite(adamEpsilon)) {
            throw new IllegalArgumentException("adamEpsilon must be finite and > 0, got " + adamEpsilon);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0: only after the last step), got "
                    + checkpointEvery);
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

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .setLearningRate(learningRate)
                .setBatchSize(batchSize)
                .setBeta(beta)
                .setSeed(seed)
                .setWeightDecay(weightDecay)
                .setMaxGradNorm(maxGradNorm)
                .setGradientAccumulation(gradientAccumulation)
                .setWarmupSteps(warmupSteps)
                .setSchedule(schedule)
                .setMinLearningRateRatio(minLearningRateRatio)
                .setAdamBeta1(adamBeta1)
                .setAdamBeta2(adamBeta2)
                .setAdamEpsilon(adamEpsilon)
                .setCheckpointEvery(checkpointEvery);
        return steps > 0 ? builder.setSteps(steps) : builder.setEpochs(epochs);
    }

    /** Examples per optimizer step, {@code batchSize × gradientAccumulation}, before shrinking to the data set. */
    public long examplesPerStep() {
        return (long) batchSize * gradientAccumulation;
    }

    /**
     * Optimizer steps for a data set of {@code examples}: {@code steps}, or {@code ⌈epochs · examples / b⌉} with b =
     * min(examplesPerStep, examples).
     */
    public int totalSteps(int examples) {
        if (steps > 0) {
            return steps;
        }
        if (examples < 1) {
            throw new IllegalArgumentException("no examples to train on");
        }
        long perStep = Math.min(examplesPerStep(), examples);
        return Math.toIntExact(((long) epochs * examples + perStep - 1) / perStep);
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
        private int gradientAccumulation = 1;
        private int warmupSteps;
        private LearningRateDecay schedule = LearningRateDecay.CONSTANT;
        private double minLearningRateRatio;
        private double adamBeta1 = AdamW.DEFAULT_BETA1;
        private double adamBeta2 = AdamW.DEFAULT_BETA2;
        private double adamEpsilon = AdamW.DEFAULT_EPSILON;
        private int checkpointEvery;

        private Builder() {}

        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Examples per micro-batch; a step takes {@link #setGradientAccumulation} of them. */
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

        /** Micro-batches of {@link #setBatchSize batchSize} per optimizer step. */
        public Builder setGradientAccumulation(int gradientAccumulation) {
            this.gradientAccumulation = gradientAccumulation;
            return this;
        }

        public Builder setWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder setSchedule(LearningRateDecay schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder setMinLearningRateRatio(double minLearningRateRatio) {
            this.minLearningRateRatio = minLearningRateRatio;
            return this;
        }

        public Builder setAdamBeta1(double adamBeta1) {
            this.adamBeta1 = adamBeta1;
            return this;
        }

        public Builder setAdamBeta2(double adamBeta2) {
            this.adamBeta2 = adamBeta2;
            return this;
        }

        public Builder setAdamEpsilon(double adamEpsilon) {
            this.adamEpsilon = adamEpsilon;
            return this;
        }

        /** Saves training state every this many steps and after the last; 0 only after the last. */
        public Builder setCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
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
            return new TrainingConfig(learningRate, batchSize, s, e, beta, seed, weightDecay, maxGradNorm,
                    gradientAccumulation, warmupSteps, schedule, minLearningRateRatio, adamBeta1, adamBeta2,
                    adamEpsilon, checkpointEvery);
        }
    }
}
