package io.prefpipe.optimizer.train;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run is after a step.
 *
 * @param step steps done, 1..totalSteps
 * @param totalSteps steps the run will take
 * @param elapsed training time up to this step (reference log-probabilities excluded; a resumed run counts the time
 *     before its interruption too)
 * @param metrics this step's metrics in a stable order, e.g. {@code loss}, {@code rewards/accuracy}, {@code grad_norm},
 *     {@code learning_rate}
 */
public record TrainingProgress(int step, int totalSteps, Duration elapsed, Map<String, Double> metrics) {
    public TrainingProgress {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** This step's loss. */
    public double loss() {
        return metrics.get("loss");
    }

    /** Mean steps per second so far. */
    public double stepsPerSecond() {
        return step / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    /** Estimated time to the last step, at the mean pace so far. */
    public Duration eta() {
        return Duration.ofNanos((long) (elapsed.toNanos() * ((double) (totalSteps - step) / step)));
    }
}
