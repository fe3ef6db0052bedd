package io.prefpipe.optimizer.train;

/** How the learning rate moves from its peak after the warm-up; see {@link LearningRateSchedule}. */
public enum LearningRateDecay {
    /** Stays at the peak. */
    CONSTANT,
    /** Falls linearly to the floor at the last step. */
    LINEAR,
    /** Follows half a cosine down to the floor at the last step. */
    COSINE
}
