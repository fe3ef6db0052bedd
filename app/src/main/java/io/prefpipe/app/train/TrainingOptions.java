package io.prefpipe.app.train;

import io.prefpipe.optimizer.train.LearningRateDecay;
import io.prefpipe.optimizer.train.TrainingConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The optimizer settings every training command takes; unset ones keep {@link TrainingConfig}'s defaults. */
public final class TrainingOptions {

    /** Length of the run: steps or epochs, not both. */
    static final class Length {
        @Option(names = "--steps", description = "Optimizer steps.")
        Integer steps;

        @Option(names = "--epochs", description = "Passes over the data.")
        Integer epochs;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Length length;

    @Option(names = "--batch-size", description = "Examples per micro-batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Option(names = "--lr", description = "Peak learning rate of AdamW (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-4;

    @Option(names = "--warmup-steps", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--schedule", description = "After the warm-up: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearningRateDecay schedule = LearningRateDecay.CONSTANT;

    @Option(names = "--min-lr-ratio", description = "Where a decay ends, as a fraction of --lr (default: ${DEFAULT-VALUE}).")
    double minLearningRateRatio;

    @Option(names = "--grad-accum", description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradientAccumulation = 1;

    @Option(names = "--max-grad-norm", description = "Clip the global gradient norm; 0 = off (default: ${DEFAULT-VALUE}).")
    double maxGradNorm = 1.0;

    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--checkpoint-every", description = "Save resumable training state every N steps and after the"
            + " last; 0 = only after the last (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seed", description = "Seeds batch order and sampling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    /** The configuration, with {@code beta} as the loss's β and {@code defaultSteps} when neither length is given. */
    public TrainingConfig toConfig(double beta, int defaultSteps) {
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .setBatchSize(batchSize)
                .setLearningRate(learningRate)
                .setWarmupSteps(warmupSteps)
                .setSchedule(schedule)
                .setMinLearningRateRatio(minLearningRateRatio)
                .setGradientAccumulation(gradientAccumulation)
                .setMaxGradNorm(maxGradNorm)
                .setWeightDecay(weightDecay)
                .setCheckpointEvery(checkpointEvery)
                .setBeta(beta)
                .setSeed(seed);
        if (length != null && length.epochs != null) {
            builder.setEpochs(length.epochs);
        } else {
            builder.setSteps(length != null && length.steps != null ? length.steps : defaultSteps);
        }
        return builder.build();
    }

    /** The seed, for what the trainer does not draw itself (splits, sampling). */
    public long seed() {
        return seed;
    }
}
