package io.prefpipe.app.science;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.eval.SyntheticPreferences;
import io.prefpipe.app.eval.TrueRewardEvaluation;
import io.prefpipe.ingestion.synthetic.SyntheticWorld;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.data.RankedExample;
import io.prefpipe.optimizer.loss.DpoLoss;
import io.prefpipe.optimizer.loss.LipoLambdaLoss;
import io.prefpipe.optimizer.loss.RobustDpoLoss;
import io.prefpipe.optimizer.model.PolicyConfig;
import io.prefpipe.optimizer.model.PolicyModel;
import io.prefpipe.optimizer.train.ListwiseTrainer;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import io.prefpipe.optimizer.train.SftTrainer;
import io.prefpipe.optimizer.train.TrainingConfig;
import io.prefpipe.optimizer.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The science of the loss family, measured against the synthetic world's hidden true reward r*: a reference policy
 * warmed up on base responses, then optimized on preferences labelled by r*, and scored by the true-reward win rate of
 * its samples against the reference's on the 72 held-out prompts (ties count half; 0.5 = no better).
 *
 * <p>Every run starts from the same warm-up, trains the same number of steps (16 pairs each) with the same seed and
 * sees each training pair once: with many passes over few pairs, robust DPO's per-pair loss, which is unbounded
 * below, memorizes the flipped labels instead of averaging them out (measured: 3,000 pairs seen 3.2 times each gave
 * rDPO a lower win rate than DPO; 9,600 pairs seen once, a higher one).
 */
class PreferenceOptimizationScienceITCase {

    private static final double BETA = 0.5;
    private static final int STEPS = 600;
    private static final double LEARNING_RATE = 1e-4;
    private static final long SEED = 5;

    @TempDir
    static Path dir;

    private static final SyntheticWorld WORLD = new SyntheticWorld();
    private static final SyntheticPreferences DATA = new SyntheticPreferences(WORLD);
    private static final TrueRewardEvaluation EVAL =
            new TrueRewardEvaluation(WORLD, WORLD.heldOutPrompts(), 12, 40, 0.7);
    private static List<String> referenceSamples;

    @BeforeAll
    static void warmUp() throws IOException {
        try (PolicyModel policy = PolicyModel.create(PolicyConfig.defaults(), 7)) {
            new SftTrainer(TrainingConfig.builder().setSteps(2000).setBatchSize(16).setLearningRate(2e-3).build())
                    .train(policy, DATA.baseResponses(8000, 1));
            policy.save(dir.resolve("reference"));
            referenceSamples = EVAL.sample(policy, 2);
        }
    }

    @Test
    void dpo_onTruePreferences_raisesTheWinRateWellAboveHalf() throws IOException {
        List<PreferenceExample> pairs = DATA.pairs(STEPS * 16, 0.0, 12);
        double dpo = winRate("DPO, true labels", (policy, reference) ->
                new PreferenceTrainer(new DpoLoss(BETA), config(16)).train(policy, reference, pairs)).winRate();
        assertThat(dpo).isGreaterThan(0.6);
    }

    /**
     * LiPO-λ on ranked lists against DPO on the pairs the same lists imply, at equal cost: the same steps, learning
     * rate, β and seed, and 32 sequences scored per step (8 lists of 4, or 16 pairs of 2), so LiPO sees each of the
     * 4,800 lists once and DPO a third of their 28,800 pairs. The lists are graded by r* rank on [0, 1] (see {@link
     * SyntheticPreferences#rankedLists}); the loss is the formula, summed over each list's pairs and averaged
     * over the lists of a batch.
     *
     * <p>The issue asks LiPO-λ to be at least as good as DPO here. In this world the two are on par within the noise,
     * so only that both raise the win rate well above 0.5 is asserted, and the difference is printed. Measured, 864
     * samples per run (standard error of a win rate about 0.015, of a paired difference 0.014-0.017), LiPO-λ on grades
     * in [0, 1] minus DPO over five draws of lists, training order and samples: +0.046, +0.021, +0.026 (lists 113, 213,
     * 313, on which the label scale was chosen), −0.032 (these seeds: 0.752 against 0.784) and +0.002 (lists 413, drawn
     * after the choice: 0.750 against 0.748); mean +0.013, standard error over draws 0.013. Seed to seed, one method's
     * win rate moves by about 0.03, twice the sampling error, so one draw cannot decide the comparison and two draws
     * (these seeds and 413: −0.015 ± 0.011, sampling error only) did not either. On grades 0..3, LiPO-λ was lower on
     * all four draws where it was measured (by 0.007-0.017; 0.745 on these seeds): its gain 2^ψ − 1 puts most of the
     * weight on the pairs against the best response. Dividing each list's loss by its Σ Δ (lists 113, 213: 0.761,
     * 0.770) changed nothing beyond the noise; a learning rate of 2e-4 for both (lists 113) raised DPO to 0.740 and
     * LiPO-λ to 0.761, a smaller lead.
     *
     * <p>The draws' seeds {lists, training order, policy samples, reference samples}: {113, 55, 11, 12}, {213, 65, 21,
     * 22}, {313, 75, 31, 32}, these {13, 5, 1, 2} and {413, 45, 1, 2}, all from this warm-up.
     */
    @Test
    void lipo_onRankedLists_raisesTheWinRateLikeDpoOnTheirPairs() throws IOException {
        List<RankedExample> lists = DATA.rankedLists(4800, 4, 13);
        List<PreferenceExample> pairs = lists.stream().flatMap(l -> l.pairs().stream()).toList();
        Score dpo = winRate("DPO on the lists' pairs", (policy, reference) ->
                new PreferenceTrainer(new DpoLoss(BETA), config(16)).train(policy, reference, pairs));
        Score lipo = winRate("LiPO-lambda on the lists", (policy, reference) ->
                new ListwiseTrainer(new LipoLambdaLoss(BETA), config(8), TrainingListener.NONE)
                        .train(policy, reference, lists));
        System.out.println(String.format(Locale.ROOT, "LiPO-lambda - DPO             %+.3f ± %.3f (paired s.e.)",
                lipo.winRate() - dpo.winRate(), lipo.standardErrorOfDifference(dpo)));
        assertThat(lipo.winRate()).isGreaterThan(0.6);
        assertThat(dpo.winRate()).isGreaterThan(0.6);
    }

    @Test
    void rdpo_with30PercentOfLabelsFlipped_beatsDpo() throws IOException {
        List<PreferenceExample> noisy = DATA.pairs(STEPS * 16, 0.3, 11);
        double dpo = winRate("DPO, 30% flipped", (policy, reference) ->
                new PreferenceTrainer(new DpoLoss(BETA), config(16)).train(policy, reference, noisy)).winRate();
        double rdpo = winRate("rDPO eps 0.3, 30% flipped", (policy, reference) ->
                new PreferenceTrainer(new RobustDpoLoss(BETA, 0.3), config(16)).train(policy, reference, noisy))
                .winRate();
        assertThat(rdpo).isGreaterThan(dpo);
    }

    private interface Run {
        void train(PolicyModel policy, PolicyModel reference);
    }

    private static TrainingConfig config(int batchSize) {
        return TrainingConfig.builder().setSteps(STEPS).setBatchSize(batchSize).setLearningRate(LEARNING_RATE)
                .setBeta(BETA).setSeed(SEED).build();
    }

    /** A policy's true-reward win rate against the reference, and the credit (1, ½ or 0) of each of its samples. */
    private record Score(double winRate, double[] credits) {

        /** The standard error of the mean credit, over the evaluation samples. */
        double standardError() {
            return PreferenceOptimizationScienceITCase.standardError(credits);
        }

        /** The standard error of winRate − other.winRate, paired by sample (both face the same reference sample). */
        double standardErrorOfDifference(Score other) {
            double[] differences = new double[credits.length];
            for (int i = 0; i < credits.length; i++) {
                differences[i] = credits[i] - other.credits[i];
            }
            return PreferenceOptimizationScienceITCase.standardError(differences);
        }
    }

    /** Trains a copy of the reference with {@code run} and scores it against the reference. */
    private static Score winRate(String name, Run run) throws IOException {
        try (PolicyModel policy = PolicyModel.load(dir.resolve("reference"));
                PolicyModel reference = PolicyModel.load(dir.resolve("reference"))) {
            run.train(policy, reference);
            List<String> samples = EVAL.sample(policy, 1);
            double[] credits = new double[EVAL.size()];
            for (int i = 0; i < credits.length; i++) {
                credits[i] = TrueRewardEvaluation.credit(WORLD, EVAL.prompt(i), samples.get(i),
                        referenceSamples.get(i));
            }
            Score score = new Score(EVAL.winRate(samples, referenceSamples), credits);
            System.out.println(String.format(Locale.ROOT,
                    "%-28s win rate %.3f ± %.3f (s.e.), mean r* %.3f (reference %.3f)", name, score.winRate(),
                    score.standardError(), EVAL.meanReward(samples), EVAL.meanReward(referenceSamples)));
            return score;
        }
    }

    private static double standardError(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1) / values.length);
    }
}
