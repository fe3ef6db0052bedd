package io.prefpipe.app.science;

import static io.prefpipe.app.science.ScienceBench.DATA;
import static io.prefpipe.app.science.ScienceBench.STEPS;
import static io.prefpipe.app.science.ScienceBench.dpo;
import static io.prefpipe.app.science.ScienceBench.lipo;
import static io.prefpipe.app.science.ScienceBench.pairConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.science.ScienceBench.Comparison;
import io.prefpipe.app.science.ScienceBench.Draw;
import io.prefpipe.app.science.ScienceBench.RankedData;
import io.prefpipe.app.science.ScienceBench.Score;
import io.prefpipe.optimizer.data.PreferenceExample;
import io.prefpipe.optimizer.loss.RobustDpoLoss;
import io.prefpipe.optimizer.train.PreferenceTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The science of the loss family, measured against the synthetic world's hidden true reward r*: a reference policy
 * warmed up on base responses, then optimized on preferences labelled by r*, and scored by the true-reward win rate of
 * its samples against the reference's on the 72 held-out prompts, 24 samples each (1,728 pairs of samples; ties count
 * half; 0.5 = no better).
 *
 * <p>Every run starts from the same warm-up, trains 600 steps of 32 scored sequences (16 pairs, or 4 lists of 8)
 * and sees each training pair or list once: with many passes over few pairs, robust DPO's per-pair loss, which is
 * unbounded below, memorizes the flipped labels instead of averaging them out (measured: 3,000 pairs seen 3.2 times
 * each gave rDPO a lower win rate than DPO; 9,600 pairs seen once, a higher one).
 *
 * <p>A comparison of two methods is made on several independent draws, each with its own training data, training
 * order, policy samples and reference samples; within a draw both methods see the same data in the same order and
 * face the same reference samples, with the same sampling seed. One method's win rate moves by about 0.03 from draw
 * to draw, more than twice the sampling error of a draw (0.011 at 1,728 samples), and float rounding alone (a kernel
 * change) has moved single draws by as much, so a comparison rests on the mean paired difference over the draws and
 * its standard error over the draws (which holds both sources of noise), never on one draw.
 */
class PreferenceOptimizationScienceITCase {

    private static final double BETA = 0.5;

    @TempDir
    static Path dir;

    private static ScienceBench bench;

    @BeforeAll
    static void warmUp() throws IOException {
        bench = ScienceBench.warmUp(dir, 24);
    }

    @Test
    void dpo_onTruePreferences_raisesTheWinRateWellAboveHalf() throws IOException {
        Draw draw = new Draw(12, 5, 1, 2);
        List<PreferenceExample> pairs = DATA.pairs(STEPS * 16, 0.0, draw.data());
        Score dpo = bench.score("DPO, true labels", draw, bench.referenceSamples(draw), dpo(BETA, pairs, draw));
        assertThat(dpo.winRate()).isGreaterThan(0.6);
    }

    /**
     * rDPO (ε = 0.3) against DPO on the same pairs with 30% of their labels flipped, at β = 1.
     *
     * <p>Why rDPO should win. Per pair with true margin m = β·h, DPO's expected gradient under flips is (1 − ε)·σ(−m) −
     * ε·σ(m) = σ(−m) − ε: its expected loss is the clean one plus ε·m, a pull towards the reference that stops every
     * margin at m = log((1 − ε)/ε) ≈ 0.85, while rDPO's gradient is an unbiased estimate of the clean σ(−m). Near m = 0
     * the two point the same way (and AdamW's steps are then alike); they part as DPO's margins approach its ceiling.
     *
     * <p>Why β = 1. Measured in a separate process on the first draw (its own warm-up, 864 samples): at β = 0.5 rDPO
     * 0.611 and DPO 0.629, within the noise; DPO's mean margin on 2,000 clean held-out pairs was β·h = 0.42 and rDPO's
     * 1.37, with the same pair accuracy (0.75), and rDPO's policy drifted further (mean log-ratio of the data's
     * responses −2.3 against −0.2), which cost its samples what the margins gained. At β = 1 a margin is half the
     * log-ratio, so rDPO drifts less (−1.2) and DPO's ceiling binds in log-ratio terms: DPO 0.574 (β·h 0.48, pair
     * accuracy 0.71), rDPO 0.677 (1.99, 0.74), DPO on the true labels 0.716 (2.14, 0.81). rDPO's margins follow the
     * clean objective's, DPO's stall. β = 1 was chosen on that draw; the other two were measured after the choice
     * (rDPO − DPO +0.041 and +0.067 in that process).
     *
     * <p>This test, 1,728 samples a draw: DPO 0.586, 0.596, 0.597; rDPO 0.658, 0.639, 0.679; rDPO − DPO +0.072,
     * +0.043, +0.082 (paired standard errors 0.012-0.013), mean +0.066 ± 0.012 over the draws. Asserted: the mean
     * difference exceeds twice its standard error (it is 5.5 times it), so rDPO's lead is not a draw's luck.
     */
    @Test
    void rdpo_with30PercentOfLabelsFlipped_beatsDpo() throws IOException {
        double beta = 1.0;
        Comparison comparison = new Comparison("rDPO eps 0.3 - DPO, 30% flipped");
        for (Draw draw : List.of(new Draw(11, 5, 1, 2), new Draw(111, 55, 11, 12), new Draw(211, 65, 21, 22))) {
            List<PreferenceExample> noisy = DATA.pairs(STEPS * 16, 0.3, draw.data());
            List<String> referenceSamples = bench.referenceSamples(draw);
            Score dpo = bench.score("DPO, 30% flipped", draw, referenceSamples, dpo(beta, noisy, draw));
            Score rdpo = bench.score("rDPO eps 0.3, 30% flipped", draw, referenceSamples, (policy, reference) ->
                    new PreferenceTrainer(new RobustDpoLoss(beta, 0.3), pairConfig(beta, draw))
                            .train(policy, reference, noisy));
            comparison.add(draw, rdpo, dpo);
        }
        comparison.print();
        assertThat(comparison.meanDifference()).isGreaterThan(2 * comparison.standardError());
    }

    /**
     * LiPO-λ on ranked lists of 8 (the LiPO paper's list size) against DPO on pairs from the same lists, at equal cost:
     * 600 steps of 32 scored sequences, 4 lists (112 of their pairs) or 16 pairs, with the same learning rate, β (0.5,
     * which each method also picks for itself, see the β study below) and training order. LiPO sees each of 2,400
     * lists once; DPO sees 9,600 of the 67,200 pairs they imply (all pairs, shuffled by the draw), each once. The lists
     * are graded by r* rank on [0, 1] ({@link io.prefpipe.app.eval.SyntheticPreferences#rankedLists}); the loss is
     * the formula, summed over each list's pairs and averaged over the lists of a batch.
     *
     * <p>The issue asks LiPO-λ to be at least as good as DPO on the pairs from the same lists. Which pairs decides it:
     * <ul>
     *   <li><b>The lists binarized</b>, as ranked data usually is for DPO (UltraFeedback's binarization: one pair a
     *       list, its best response against a uniformly drawn other; {@link RankedData#binarized()}). LiPO-λ must beat
     *       DPO here: the mean difference over the draws must be above zero. DPO gets its best budget: 600 steps of
     *       16 (four passes over the 2,400 pairs, LiPO-λ's cost), chosen before this comparison ran by {@link
     *       LipoBinarizedStudy} on a draw of its own (one, two and four passes: 0.664, 0.659, 0.675, LiPO-λ 0.771).
     *   <li><b>Every pair the lists imply</b>, at equal cost. This world does not bear the claim out there: LiPO-λ is
     *       on par with DPO at equal cost and below DPO given every pair of each step's lists. Asserted is
     *       non-inferiority with a margin of 0.05: the mean difference over the draws must exceed −0.05, about a
     *       fifth of what DPO gains over the reference here (0.21-0.24 of win rate), so LiPO-λ must keep about four
     *       fifths of DPO's gain; the margin is about twice the standard error of a three-draw mean (0.019-0.025
     *       measured), so a deficit of that size would show.
     * </ul>
     *
     * <p>This test, 1,728 samples a draw: LiPO-λ 0.674, 0.692, 0.758. DPO on the lists binarized 0.543, 0.590, 0.634;
     * LiPO-λ − DPO +0.132, +0.102, +0.123 (paired standard errors 0.012-0.013), mean +0.119 ± 0.009 over the draws.
     * DPO on all pairs 0.723, 0.713, 0.739; LiPO-λ − DPO −0.048, −0.021, +0.019 (paired standard errors 0.011-0.012),
     * mean −0.017 ± 0.019 over the draws: within the margin, but not at least as good.
     *
     * <p>What was measured before settling on this setting, on the same draws' seeds in a separate process (its own
     * warm-up, which float rounding makes differ from this one, so single numbers differ from this test's), one run a
     * method and draw, 864 evaluation samples, on the fused kernels:
     * <ul>
     *   <li>Lists of 4 (8 a step), LiPO-λ − DPO at equal cost: +0.030, −0.053, −0.011 (mean −0.011 ± 0.024). Before the
     *       fused kernels the same comparison gave +0.013 ± 0.013 over five draws: the sign moves with float rounding.
     *   <li>Lists of 8, LiPO-λ − DPO at equal cost (DPO drawing its pairs from all 67,200): −0.010, −0.043, +0.042
     *       (mean −0.004 ± 0.025).
     *   <li>DPO on every pair of each step's lists (the same steps and cost, each response scored once, a loss equal
     *       to DPO's mean over those pairs, checked step by step against DPO on a small model; not kept): lists of 4
     *       0.751, 0.736, 0.740 and lists of 8 0.742, 0.760, 0.762, against LiPO-λ 0.748, 0.682, 0.707 and 0.725,
     *       0.703, 0.763: LiPO-λ − DPO on all pairs −0.030 ± 0.015 (lists of 4) and −0.024 ± 0.017 (lists of 8). The
     *       λ weights are all that differ there, and in this world they do not help.
     *   <li>Labels: grades by average win probability σ(r*_i − r*_j) over the list instead of rank (lists of 8, first
     *       draw): LiPO-λ 0.717 against 0.725 on rank grades; grades from noisy ratings (r* + N(0, 1), 23% of the
     *       implied pairs ordered against r*), where LiPO's weighting by label gap should discount the near-ties
     *       that noise gets wrong, LiPO-λ − DPO on all pairs +0.007, −0.007, −0.034; grades 0..3 on lists of 4
     *       (before the fused kernels) lowered LiPO-λ on all four draws measured.
     *   <li>A learning rate of 5e-5 for LiPO-λ (lists of 4, second and third draws): 0.670 and 0.688, lower than at
     *       1e-4.
     *   <li>β chosen per method ({@link LipoBetaStudy}, this setting, its own warm-up and draws, pre-registered: each
     *       method's β is its best win rate on one tuning draw at 864 samples, then both are compared at their own β
     *       on three fresh draws at 1,728 samples). Tuning, β 0.1, 0.25, 0.5, 1, 2: DPO 0.535, 0.655, 0.731, 0.709,
     *       0.683; LiPO-λ 0.270, 0.659, 0.771, 0.742, 0.704 (s.e. 0.014-0.017). Both pick 0.5, the β used here;
     *       LiPO-λ is the more sensitive to a small β (at 0.1 its samples lose to the reference's). Confirmation: DPO
     *       0.719, 0.711, 0.759; LiPO-λ 0.726, 0.734, 0.721; LiPO-λ − DPO +0.007, +0.023, −0.038 (paired s.e.
     *       0.011-0.012), mean −0.003 ± 0.018. One β is not what kept LiPO-λ from being at least as good; on par
     *       again, not better.
     * </ul>
     */
    @Test
    void lipo_onRankedLists_beatsDpoOnTheListsBinarized_andIsNotWorseThanDpoOnAllTheirPairs() throws IOException {
        Comparison allPairs = new Comparison("LiPO-lambda - DPO on the lists' pairs");
        Comparison binarized = new Comparison("LiPO-lambda - DPO on the lists binarized");
        for (Draw draw : List.of(new Draw(13, 5, 1, 2), new Draw(113, 55, 11, 12), new Draw(213, 65, 21, 22))) {
            RankedData data = RankedData.of(draw);
            List<String> referenceSamples = bench.referenceSamples(draw);
            Score dpo = bench.score("DPO on the lists' pairs", draw, referenceSamples, dpo(BETA, data.pairs(), draw));
            Score dpoBinarized = bench.score("DPO on the lists binarized", draw, referenceSamples,
                    dpo(BETA, data.binarized(), draw));
            Score lipo = bench.score("LiPO-lambda on the lists", draw, referenceSamples,
                    lipo(BETA, data.lists(), draw));
            assertThat(lipo.winRate()).isGreaterThan(0.6);
            allPairs.add(draw, lipo, dpo);
            binarized.add(draw, lipo, dpoBinarized);
        }
        allPairs.print();
        binarized.print();
        assertThat(binarized.meanDifference()).isGreaterThan(0);
        assertThat(allPairs.meanDifference()).isGreaterThan(-0.05);
    }
}
