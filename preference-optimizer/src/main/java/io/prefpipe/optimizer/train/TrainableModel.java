package io.prefpipe.optimizer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;

/**
 * A model whose parameters an {@link OptimizationLoop} updates: a policy, or a reward model built on the same
 * backbone.
 */
public interface TrainableModel {

    /**
     * A DJL trainer over this model's trainable parameters; the caller closes it.
     *
     * @throws IllegalStateException if this model is frozen
     */
    Trainer newTrainer(TrainingConfig trainingConfig);

    /** Whether the forward pass draws random numbers while training (dropout), so the engine's generator is seeded. */
    boolean usesDropout();

    /**
     * Where the parameters live, so training computes there: a GPU when the engine has one. Models that place their
     * parameters themselves say where; the default is the engine's default device.
     */
    default Device device() {
        return Engine.getInstance().defaultDevice();
    }
}
