package io.prefpipe.optimizer.loss;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A loss value with the statistics of the batch it was computed on.
 *
 * @param loss scalar to back-propagate
 * @param metrics named statistics, {@code loss} among them, in a fixed order
 */
public record LossOutput(NDArray loss, Map<String, Double> metrics) {
    public LossOutput {
        Objects.requireNonNull(loss, "loss");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
    }
}
