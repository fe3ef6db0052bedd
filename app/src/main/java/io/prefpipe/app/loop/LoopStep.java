package io.prefpipe.app.loop;

/** The steps of one iteration of the alignment loop, in the order they run. */
public enum LoopStep {
    /** Cut a snapshot (manifest) of what was curated since the previous one. */
    CUT_SNAPSHOT,
    /** Train the reward model further on the snapshot (optional). */
    REFRESH_REWARD_MODEL,
    /** Optimize the policy from the previous checkpoint on the snapshot. */
    OPTIMIZE,
    /** Measure the new checkpoint: held-out reward accuracy, KL to the reference, true-reward win rate if known. */
    EVALUATE,
    /** Publish the checkpoint's lineage on the checkpoints topic. */
    PUBLISH_CHECKPOINT,
    /** Sample candidates from the new policy, keep them by rejection sampling, publish them for annotation. */
    GENERATE_CANDIDATES
}
