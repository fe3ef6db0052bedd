package io.prefpipe.labeling.crowd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times Dawid-Skene EM at scale, single-threaded: 1,000,000 judgements (100,000 items × 10, 2 classes, 5,000
 * annotators of mixed quality, seeded), exactly 20 EM iterations (tolerance 0), after warm-up fits that let the JIT
 * compile the hot loops. A benchmark, not a test: run it by hand on a quiet machine.
 *
 * <p>Run it with {@code ./prefpipe bench labeling}.
 */
public final class DawidSkeneScaleBenchmark {
    private DawidSkeneScaleBenchmark() {}

    /**
     * The settings of a run.
     *
     * @param items items; each gets {@code perItem} judgements
     * @param perItem judgements per item
     * @param annotators annotators: 80% accurate (0.6..0.95), 10% spammers, 10% adversarial (0.3)
     * @param iterations EM iterations timed
     * @param warmups untimed fits first
     * @param runs timed fits; the median is reported
     * @param seed of the synthetic data
     */
    public record Config(int items, int perItem, int annotators, int iterations, int warmups, int runs, long seed) {
        /** The brief's scale: 100,000 × 10 judgements, 5,000 annotators, 20 iterations. */
        public static final Config DEFAULT = new Config(100_000, 10, 5_000, 20, 3, 5, 42);
    }

    /**
     * What a run measured.
     *
     * @param judgements N
     * @param iterations EM iterations per fit
     * @param medianNanos median wall time of one fit (all its iterations, soft-majority start and result included)
     * @param minNanos fastest fit
     * @param nanosPerJudgementIteration median / (N × iterations)
     * @param accuracy accuracy against the synthetic truth, so a fast wrong answer shows
     */
    public record Result(int judgements, int iterations, long medianNanos, long minNanos,
            double nanosPerJudgementIteration, double accuracy) {}

    public static Result run(Config config) {
        List<SyntheticCrowd.Annotator> annotators = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(config.seed());
        for (int a = 0; a < config.annotators(); a++) {
            double u = random.nextDouble();
            if (u < 0.8) {
                annotators.add(new SyntheticCrowd.Annotator("a" + a, SyntheticCrowd.Kind.ACCURATE,
                        0.6 + 0.35 * random.nextDouble(), 0));
            } else if (u < 0.9) {
                annotators.add(new SyntheticCrowd.Annotator("a" + a, SyntheticCrowd.Kind.SPAMMER, 0.5, 0));
            } else {
                annotators.add(new SyntheticCrowd.Annotator("a" + a, SyntheticCrowd.Kind.ADVERSARIAL, 0.3, 0));
            }
        }
        SyntheticCrowd.Crowd crowd = SyntheticCrowd.generate(config.seed(), config.items(), config.perItem(),
                new double[] {0.6, 0.4}, annotators, 0, false);
        DawidSkeneAggregator ds = DawidSkeneAggregator.builder().setMaxIterations(config.iterations())
                .setTolerance(0).build();
        AggregationResult<DawidSkeneModel> last = null;
        for (int w = 0; w < config.warmups(); w++) {
            last = ds.fit(crowd.data());
        }
        long[] times = new long[config.runs()];
        for (int r = 0; r < config.runs(); r++) {
            long start = System.nanoTime();
            last = ds.fit(crowd.data());
            times[r] = System.nanoTime() - start;
        }
        if (last.iterations() != config.iterations()) {
            throw new IllegalStateException("expected " + config.iterations() + " iterations, ran "
                    + last.iterations());
        }
        Arrays.sort(times);
        long median = times[times.length / 2];
        int n = crowd.data().numJudgements();
        return new Result(n, config.iterations(), median, times[0],
                (double) median / ((double) n * config.iterations()), crowd.accuracy(last));
    }
}
