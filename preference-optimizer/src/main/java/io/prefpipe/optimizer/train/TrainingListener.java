package io.prefpipe.optimizer.train;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Called on the training thread after every optimizer step; keep it fast (printing, not evaluating). */
@FunctionalInterface
public interface TrainingListener {

    /** Ignores every step. */
    TrainingListener NONE = progress -> {};

    /** Called after step {@code progress.step()}. */
    void onStep(TrainingProgress progress);

    /** Logs at INFO every {@code every} steps and after the last: step, metrics, pace and ETA. */
    static TrainingListener logging(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        Logger log = LoggerFactory.getLogger(TrainingListener.class);
        return p -> {
            if (p.step() % every == 0 || p.step() == p.totalSteps()) {
                log.info("step {}/{} {} ({} steps/s, eta {}s)", p.step(), p.totalSteps(), format(p.metrics()),
                        String.format(Locale.ROOT, "%.1f", p.stepsPerSecond()), p.eta().toSeconds());
            }
        };
    }

    private static String format(Map<String, Double> metrics) {
        return metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
