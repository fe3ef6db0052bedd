package io.prefpipe.optimizer.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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

    /** This listener, then {@code next}, after every step. */
    default TrainingListener andThen(TrainingListener next) {
        Objects.requireNonNull(next, "next");
        return progress -> {
            onStep(progress);
            next.onStep(progress);
        };
    }

    /** Logs at INFO every {@code every} steps and after the last: step, metrics, pace and ETA. */
    static TrainingListener logging(int every) {
        Logger log = LoggerFactory.getLogger(TrainingListener.class);
        return every(every, p -> log.info(line(p)));
    }

    /** Prints to {@code out} every {@code every} steps and after the last: step, metrics, pace and ETA. */
    static TrainingListener printing(PrintStream out, int every) {
        Objects.requireNonNull(out, "out");
        return every(every, p -> out.println(line(p)));
    }

    private static TrainingListener every(int every, TrainingListener report) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        return p -> {
            if (p.step() % every == 0 || p.step() == p.totalSteps()) {
                report.onStep(p);
            }
        };
    }

    private static String line(TrainingProgress p) {
        return String.format(Locale.ROOT, "step %d/%d %s (%.1f steps/s, eta %ds)", p.step(), p.totalSteps(),
                format(p.metrics()), p.stepsPerSecond(), p.eta().toSeconds());
    }

    private static String format(Map<String, Double> metrics) {
        return metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
