package io.prefpipe.ingestion.synthetic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SyntheticFeedback} generates. Build with {@link #builder(long)}.
 *
 * @param seed the seed; the same configuration always generates the same events
 * @param comparisons number of comparisons, each a prompt with two base responses (default 5,000)
 * @param judgements number of valid judgements over all comparisons (default 20,000); each comparison gets at least
 *     one, the rest are spread at random, and no annotator judges a comparison twice
 * @param annotators number of simulated annotators (default 20)
 * @param mix the annotator profiles, apportioned by share (default {@link AnnotatorProfile#DEFAULT_MIX})
 * @param redeliveryRate after each judgement, the probability of also emitting an exact copy of a recent judgement, as
 *     an at-least-once source would (default 0)
 * @param malformedRate after each judgement, the probability of also emitting an event that breaks a validation rule
 *     (default 0)
 * @param start the event time of the first judgement (default 2026-01-01T00:00:00Z)
 * @param meanInterval the mean of the exponential gaps between event times, at least 1 ms each (default 1 s)
 */
public record SyntheticFeedbackConfig(long seed, int comparisons, int judgements, int annotators,
        List<AnnotatorProfile> mix, double redeliveryRate, double malformedRate, Instant start,
        Duration meanInterval) {

    public SyntheticFeedbackConfig {
        requirePositive(comparisons, "comparisons");
        requirePositive(annotators, "annotators");
        mix = List.copyOf(mix);
        if (mix.isEmpty()) {
            throw new IllegalArgumentException("mix must hold at least one profile");
        }
        requireRate(redeliveryRate, "redeliveryRate");
        requireRate(malformedRate, "malformedRate");
        Objects.requireNonNull(start, "start");
        requireInterval(meanInterval);
        if (judgements < comparisons) {
            throw new IllegalArgumentException("judgements (" + judgements + ") must be >= comparisons ("
                    + comparisons + "): every comparison gets at least one");
        }
        if ((long) judgements > (long) comparisons * annotators) {
            throw new IllegalArgumentException("judgements (" + judgements + ") must be <= comparisons * annotators ("
                    + (long) comparisons * annotators + "): no annotator judges a comparison twice");
        }
    }

    /** A builder with the defaults and this seed. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    private static void requirePositive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    private static void requireRate(double value, String field) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }

    private static void requireInterval(Duration interval) {
        Objects.requireNonNull(interval, "meanInterval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("meanInterval must be at least 1 ms, got " + interval);
        }
    }

    /** Builds a {@link SyntheticFeedbackConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private final long seed;
        private int comparisons = 5_000;
        private int judgements = 20_000;
        private int annotators = 20;
        private List<AnnotatorProfile> mix = AnnotatorProfile.DEFAULT_MIX;
        private double redeliveryRate;
        private double malformedRate;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private Duration meanInterval = Duration.ofSeconds(1);

        private Builder(long seed) {
            this.seed = seed;
        }

        public Builder setComparisons(int comparisons) {
            requirePositive(comparisons, "comparisons");
            this.comparisons = comparisons;
            return this;
        }

        public Builder setJudgements(int judgements) {
            requirePositive(judgements, "judgements");
            this.judgements = judgements;
            return this;
        }

        public Builder setAnnotators(int annotators) {
            requirePositive(annotators, "annotators");
            this.annotators = annotators;
            return this;
        }

        public Builder setMix(List<AnnotatorProfile> mix) {
            Objects.requireNonNull(mix, "mix");
            if (mix.isEmpty()) {
                throw new IllegalArgumentException("mix must hold at least one profile");
            }
            this.mix = List.copyOf(mix);
            return this;
        }

        public Builder setRedeliveryRate(double rate) {
            requireRate(rate, "redeliveryRate");
            this.redeliveryRate = rate;
            return this;
        }

        public Builder setMalformedRate(double rate) {
            requireRate(rate, "malformedRate");
            this.malformedRate = rate;
            return this;
        }

        public Builder setStart(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        public Builder setMeanInterval(Duration interval) {
            requireInterval(interval);
            this.meanInterval = interval;
            return this;
        }

        /** @throws IllegalArgumentException if judgements do not fit comparisons and annotators */
        public SyntheticFeedbackConfig build() {
            return new SyntheticFeedbackConfig(seed, comparisons, judgements, annotators, mix, redeliveryRate,
                    malformedRate, start, meanInterval);
        }
    }
}
