package io.prefpipe.optimizer.train;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run. A resumed run's result covers the whole run, the steps, losses and time before its
 * interruption included.
 *
 * @param steps optimizer steps of the run
 * @param losses the loss of every step, in order
 * @param finalMetrics the metrics of the last step
 * @param duration wall time of the steps (reference log-probabilities excluded)
 */
public record TrainingResult(int steps, List<Double> losses, Map<String, Double> finalMetrics, Duration duration) {
    public TrainingResult {
        losses = List.copyOf(losses);
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
    }

    /** The last step's loss. */
    public double finalLoss() {
        return losses.get(losses.size() - 1);
    }

    /** Mean optimizer steps per second. */
    public double stepsPerSecond() {
        return steps / Math.max(1e-9, duration.toNanos() / 1e9);
    }
}
