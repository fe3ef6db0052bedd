package io.prefpipe.app.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The work of each {@link LoopStep}, for {@link AlignmentLoop} to order, record and resume. Every method may be called
 * again for the same iteration after a crash, so each must either finish or leave nothing that a second call trips
 * over: outputs go to the folder given, which the loop empties before a retry, and are published whole (written under
 * a temporary name, then renamed).
 */
public interface LoopSteps {

    /** A cut snapshot. */
    record Snapshot(String id, Path dir, long pairs) {}

    /** A written policy checkpoint. */
    record Checkpoint(String id, Path dir) {}

    /** Pairs curated since the previous cut (all pairs before the first): what decides whether an iteration is due. */
    long pendingPairs() throws IOException;

    /**
     * Cuts the snapshot of iteration {@code iteration} into {@code dir}: what was curated after the previous cut,
     * exactly once. Cutting again after a crash must cut the same pairs (the cut is recorded with the snapshot, not
     * before it).
     *
     * @param previousSnapshotId the previous iteration's snapshot, or null for the first: the cut must follow it
     *     directly, or pairs would be in no iteration
     */
    Snapshot cutSnapshot(int iteration, String previousSnapshotId, Path dir) throws IOException;

    /**
     * Trains a reward model on the snapshot, starting from {@code previous} (null: from the initial policy's
     * backbone), into {@code out}.
     */
    void refreshRewardModel(int iteration, Snapshot snapshot, Path previous, Path out) throws IOException;

    /**
     * Optimizes the policy saved at {@code parent} on the snapshot against {@code reference}, writing a checkpoint
     * somewhere inside {@code out}.
     */
    Checkpoint optimize(int iteration, Snapshot snapshot, Path parent, Path reference, Path rewardModel, Path out)
            throws IOException;

    /** Measures the checkpoint; the names are the figures' (e.g. {@code true_reward_win_rate}). */
    Map<String, Double> evaluate(int iteration, Snapshot snapshot, Path checkpoint, Path reference, Path rewardModel)
            throws IOException;

    /**
     * Publishes the iteration's checkpoint with its lineage, unless an event with its id was published before (a crash
     * between the broker's acknowledgement and the journal's record of it must not publish it twice).
     */
    void publishCheckpoint(IterationRecord record) throws IOException;

    /**
     * Samples, scores, rejection-samples and publishes new comparisons for annotation, unless this iteration's were
     * published before; returns how many the iteration published.
     */
    long generateCandidates(IterationRecord record, Snapshot snapshot, Path checkpoint, Path rewardModel)
            throws IOException;
}
