package io.prefpipe.app.loop;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one iteration of the loop has done so far; the {@link LoopJournal} keeps one per iteration.
 *
 * @param iteration 1-based
 * @param started when the iteration began
 * @param completed the steps finished, in order; a step is added only after its outputs are durable
 * @param snapshotId the snapshot cut for this iteration, once {@link LoopStep#CUT_SNAPSHOT} is done
 * @param snapshotDir its folder
 * @param newPairs pairs in the snapshot
 * @param rewardModelDir the reward model used from this iteration on (refreshed or carried over), or null for none
 * @param checkpointId the checkpoint this iteration produced, once {@link LoopStep#OPTIMIZE} is done
 * @param checkpointDir its folder
 * @param parentCheckpointId the checkpoint it was optimized from; null for the initial model
 * @param metrics evaluation figures by name, once {@link LoopStep#EVALUATE} is done
 * @param candidates comparisons published for annotation, once {@link LoopStep#GENERATE_CANDIDATES} is done
 */
public record IterationRecord(int iteration, Instant started, List<LoopStep> completed, String snapshotId,
        String snapshotDir, long newPairs, String rewardModelDir, String checkpointId, String checkpointDir,
        String parentCheckpointId, Map<String, Double> metrics, long candidates) {

    public IterationRecord {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration must be >= 1, got " + iteration);
        }
        Objects.requireNonNull(started, "started");
        completed = List.copyOf(completed);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** A new iteration with nothing done. */
    public static IterationRecord start(int iteration, Instant now, String parentCheckpointId, String rewardModelDir) {
        return new IterationRecord(iteration, now, List.of(), null, null, 0, rewardModelDir, null, null,
                parentCheckpointId, Map.of(), 0);
    }

    public boolean isDone(LoopStep step) {
        return completed.contains(step);
    }

    /** Whether every step has run (steps switched off count as run). */
    @JsonIgnore
    public boolean isComplete() {
        return nextStep() == null;
    }

    /** The next step to run, or null when the iteration is complete. */
    public LoopStep nextStep() {
        for (LoopStep step : LoopStep.values()) {
            if (!completed.contains(step)) {
                return step;
            }
        }
        return null;
    }

    IterationRecord done(LoopStep step) {
        if (completed.contains(step)) {
            throw new IllegalStateException("step " + step + " of iteration " + iteration + " is already done");
        }
        List<LoopStep> steps = new ArrayList<>(completed);
        steps.add(step);
        return new IterationRecord(iteration, started, steps, snapshotId, snapshotDir, newPairs, rewardModelDir,
                checkpointId, checkpointDir, parentCheckpointId, metrics, candidates);
    }

    IterationRecord withSnapshot(String id, String dir, long pairs) {
        return new IterationRecord(iteration, started, completed, id, dir, pairs, rewardModelDir, checkpointId,
                checkpointDir, parentCheckpointId, metrics, candidates);
    }

    IterationRecord withRewardModel(String dir) {
        return new IterationRecord(iteration, started, completed, snapshotId, snapshotDir, newPairs, dir,
                checkpointId, checkpointDir, parentCheckpointId, metrics, candidates);
    }

    IterationRecord withCheckpoint(String id, String dir) {
        return new IterationRecord(iteration, started, completed, snapshotId, snapshotDir, newPairs, rewardModelDir,
                id, dir, parentCheckpointId, metrics, candidates);
    }

    IterationRecord withMetrics(Map<String, Double> values) {
        return new IterationRecord(iteration, started, completed, snapshotId, snapshotDir, newPairs, rewardModelDir,
                checkpointId, checkpointDir, parentCheckpointId, new LinkedHashMap<>(values), candidates);
    }

    IterationRecord withCandidates(long published) {
        return new IterationRecord(iteration, started, completed, snapshotId, snapshotDir, newPairs, rewardModelDir,
                checkpointId, checkpointDir, parentCheckpointId, metrics, published);
    }
}
