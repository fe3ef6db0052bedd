package io.prefpipe.optimizer.train;

import java.util.Objects;

/**
 * The learning rate of every step of a run: a linear warm-up from 0 over the first {@code warmupSteps} steps, then
 * constant, or a linear or cosine decay that reaches {@code minRatio × peak} at the last step.
 *
 * <p>With p = step − 1 the number of steps taken before, W the warm-up and T the total:
 *
 * <pre>
 *   p &lt; W:  η = peak · p / W
 *   p ≥ W:  η = peak · f(q),  q = (p − W) / (T − 1 − W)
 *           constant f = 1;  linear f = 1 − (1 − r)·q;  cosine f = r + (1 − r)·(1 + cos πq) / 2
 * </pre>
 *
 * The warm-up counts like the usual implementations (Hugging Face's {@code get_*_schedule_with_warmup}): the first
 * step has rate 0 and step W + 1 the peak. With no step to decay over (W = T − 1), the last step takes the peak.
 *
 * @param peak the learning rate after the warm-up, finite and &gt; 0
 * @param warmupSteps W, in [0, totalSteps)
 * @param decay the shape after the warm-up
 * @param minRatio r, the floor as a fraction of the peak, in [0, 1]; unused by {@link LearningRateDecay#CONSTANT}
 * @param totalSteps T ≥ 1
 */
public record LearningRateSchedule(
        double peak, int warmupSteps, LearningRateDecay decay, double minRatio, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + peak);
        }
        Objects.requireNonNull(decay, "decay");
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("minLearningRateRatio must be in [0, 1], got " + minRatio);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("warmupSteps must be in [0, totalSteps = " + totalSteps + "), got "
                    + warmupSteps);
        }
    }

    /** The schedule of {@code config} over a run of {@code totalSteps}. */
    public static LearningRateSchedule of(TrainingConfig config, int totalSteps) {
        return new LearningRateSchedule(config.learningRate(), config.warmupSteps(), config.schedule(),
                config.minLearningRateRatio(), totalSteps);
    }

    /**
     * The learning rate of step {@code step}, 1-based.
     *
     * @throws IllegalArgumentException if the step is outside [1, totalSteps]
     */
    public double rate(int step) {
        if (step < 1 || step > totalSteps) {
            throw new IllegalArgumentException("step must be in [1, " + totalSteps + "], got " + step);
        }
        int taken = step - 1;
        if (taken < warmupSteps) {
            return peak * taken / warmupSteps;
        }
        int decaySteps = totalSteps - 1 - warmupSteps;
        double progress = decaySteps == 0 ? 0 : (double) (taken - warmupSteps) / decaySteps;
        return peak * switch (decay) {
            case CONSTANT -> 1;
            case LINEAR -> 1 - (1 - minRatio) * progress;
            case COSINE -> minRatio + (1 - minRatio) * (1 + Math.cos(Math.PI * progress)) / 2;
        };
    }
}
