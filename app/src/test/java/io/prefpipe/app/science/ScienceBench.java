package io.prefpipe.app.science;

import io.prefpipe.app.eval.SyntheticPreferences;
import io.prefpipe.app.eval.TrueRewardEvaluation;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.ListwiseTrainer;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What {@link PreferenceOptimizationScienceITCase} and the studies beside it share, so that a study measures exactly
 * what the test asserts on: the synthetic world, the warm-up of the reference policy, the training budget (600 steps
 * of 32 scored sequences at learning rate 1e-4), and the scoring of a trained policy by its true-reward win rate
 * against the reference's samples on the 72 held-out prompts.
 */
final class ScienceBench {

    static final int STEPS = 600;
    private static final double LEARNING_RATE = 1e-4;
    private static final SyntheticWorld WORLD = new SyntheticWorld();
    static final SyntheticPreferences DATA = new SyntheticPreferences(WORLD);

    private final Path reference;
    private final TrueRewardEvaluation eval;

    private ScienceBench(Path reference, int samplesPerPrompt) {
        this.reference = reference;
        this.eval = new TrueRewardEvaluation(WORLD, WORLD.heldOutPrompts(), samplesPerPrompt, 40, 0.7);
    }

    /**
     * Warms up the reference policy on base responses, saves it under {@code dir}, and returns a bench that scores
     * against it with {@code samplesPerPrompt} samples of each held-out prompt.
     */
    static ScienceBench warmUp(Path dir, int samplesPerPrompt) throws IOException {
        Path reference = dir.resolve("reference");
        try (PolicyModel policy = PolicyModel.create(PolicyConfig.defaults(), 7)) {
            new SftTrainer(TrainingConfig.builder().setSteps(2000).setBatchSize(16).setLearningRate(2e-3).build())
                    .train(policy, DATA.baseResponses(8000, 1));
            policy.save(reference);
        }
        return new ScienceBench(reference, samplesPerPrompt);
    }

    /** A bench on the same reference that scores with {@code samplesPerPrompt} samples of each held-out prompt. */
    ScienceBench withSamplesPerPrompt(int samplesPerPrompt) {
        return new ScienceBench(reference, samplesPerPrompt);
    }

    /**
     * The seeds of one draw: its training data, the order in which training visits them, and the samples of the
     * trained policy and of the reference.
     */
    record Draw(long data, long order, long policySamples, long referenceSamples) {
        @Override
        public String toString() {
            return "{" + data + ", " + order + ", " + policySamples + ", " + referenceSamples + "}";
        }
    }

    /** Trains {@code policy} from the reference. */
    interface Run {
        void train(PolicyModel policy, PolicyModel reference);
    }

    /**
     * A draw's ranked lists of 8 graded by r* rank, 4 a step for every step; the pairs DPO sees at the same cost: 16 a
     * step, the first of all the lists' pairs shuffled by the draw's order seed, each seen once; and the lists
     * binarized as ranked data usually is for DPO (UltraFeedback's binarization, as Zephyr trained on it): one pair a
     * list, its best response against one of the others drawn uniformly (seeded by the draw's data seed).
     */
    record RankedData(List<RankedExample> lists, List<PreferenceExample> pairs, List<PreferenceExample> binarized) {
        static RankedData of(Draw draw) {
            List<RankedExample> lists = DATA.rankedLists(STEPS * 4, 8, draw.data());
            List<PreferenceExample> pairs = new ArrayList<>(lists.stream().flatMap(l -> l.pairs().stream()).toList());
            Collections.shuffle(pairs, new Random(draw.order()));
            Random others = new Random(draw.data());
            List<PreferenceExample> binarized = lists.stream().map(l -> binarize(l, others)).toList();
            return new RankedData(lists, List.copyOf(pairs.subList(0, STEPS * 16)), binarized);
        }

        private static PreferenceExample binarize(RankedExample list, Random others) {
            int best = 0;
            for (int i = 1; i < list.size(); i++) {
                if (list.labels().get(i) > list.labels().get(best)) {
                    best = i;
                }
            }
            int other = others.nextInt(list.size() - 1);
            int rejected = other < best ? other : other + 1;
            return PreferenceExample.of(list.listId() + "/" + best + ">" + rejected, list.prompt(),
                    list.responses().get(best), list.responses().get(rejected));
        }
    }

    static TrainingConfig pairConfig(double beta, Draw draw) {
        return pairConfig(beta, draw, STEPS);
    }

    static TrainingConfig pairConfig(double beta, Draw draw, int steps) {
        return TrainingConfig.builder().setSteps(steps).setBatchSize(16).setLearningRate(LEARNING_RATE)
                .setBeta(beta).setSeed(draw.order()).build();
    }

    /** 4 lists of 8 a step: 32 sequences, as 16 pairs. */
    static TrainingConfig listConfig(double beta, Draw draw) {
        return TrainingConfig.builder().setSteps(STEPS).setBatchSize(4).setLearningRate(LEARNING_RATE)
                .setBeta(beta).setSeed(draw.order()).build();
    }

    /** DPO at {@code beta} on {@code pairs}, in the draw's order. */
    static Run dpo(double beta, List<PreferenceExample> pairs, Draw draw) {
        return dpo(beta, pairs, draw, STEPS);
    }

    /** DPO at {@code beta} on {@code pairs} for {@code steps} steps of 16, reshuffled in the draw's order each pass. */
    static Run dpo(double beta, List<PreferenceExample> pairs, Draw draw, int steps) {
        return (policy, reference) -> new PreferenceTrainer(new DpoLoss(beta), pairConfig(beta, draw, steps))
                .train(policy, reference, pairs);
    }

    /** LiPO-λ at {@code beta} on {@code lists}, in the draw's order. */
    static Run lipo(double beta, List<RankedExample> lists, Draw draw) {
        return (policy, reference) -> new ListwiseTrainer(new LipoLambdaLoss(beta), listConfig(beta, draw),
                TrainingListener.NONE).train(policy, reference, lists);
    }

    /** A policy's true-reward win rate against the reference, and the credit (1, ½ or 0) of each of its samples. */
    record Score(double winRate, double[] credits) {

        /** The standard error of winRate − other.winRate over the samples, paired (both face the same reference). */
        double standardErrorOfDifference(Score other) {
            double[] differences = new double[credits.length];
            for (int i = 0; i < credits.length; i++) {
                differences[i] = credits[i] - other.credits[i];
            }
            return standardError(differences);
        }
    }

    /** Paired differences of win rates, one per draw. */
    static final class Comparison {
        private final String name;
        private final List<Double> differences = new ArrayList<>();

        Comparison(String name) {
            this.name = name;
        }

        void add(Draw draw, Score score, Score baseline) {
            differences.add(score.winRate() - baseline.winRate());
            System.out.println(String.format(Locale.ROOT, "%s, draw %s: %.3f - %.3f = %+.3f ± %.3f (paired s.e.)",
                    name, draw, score.winRate(), baseline.winRate(), score.winRate() - baseline.winRate(),
                    score.standardErrorOfDifference(baseline)));
        }

        double meanDifference() {
            return differences.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        /** The standard error of the mean difference over the draws. */
        double standardError() {
            return ScienceBench.standardError(differences.stream().mapToDouble(Double::doubleValue).toArray());
        }

        void print() {
            System.out.println(String.format(Locale.ROOT, "%s over %d draws: mean %+.3f ± %.3f (s.e. over draws)",
                    name, differences.size(), meanDifference(), standardError()));
        }
    }

    List<String> referenceSamples(Draw draw) throws IOException {
        try (PolicyModel policy = PolicyModel.load(reference)) {
            return eval.sample(policy, draw.referenceSamples());
        }
    }

    /** Trains a copy of the reference with {@code run} and scores its samples against {@code referenceSamples}. */
    Score score(String name, Draw draw, List<String> referenceSamples, Run run) throws IOException {
        try (PolicyModel policy = PolicyModel.load(reference);
                PolicyModel frozen = PolicyModel.load(reference)) {
            run.train(policy, frozen);
            List<String> samples = eval.sample(policy, draw.policySamples());
            double[] credits = new double[eval.size()];
            for (int i = 0; i < credits.length; i++) {
                credits[i] = TrueRewardEvaluation.credit(WORLD, eval.prompt(i), samples.get(i),
                        referenceSamples.get(i));
            }
            Score score = new Score(eval.winRate(samples, referenceSamples), credits);
            System.out.println(String.format(Locale.ROOT,
                    "%-28s draw %s: win rate %.3f ± %.3f (s.e.), mean r* %.3f (reference %.3f)", name, draw,
                    score.winRate(), standardError(credits), eval.meanReward(samples),
                    eval.meanReward(referenceSamples)));
            return score;
        }
    }

    static double standardError(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1) / values.length);
    }
}
