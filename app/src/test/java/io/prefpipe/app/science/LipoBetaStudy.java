package io.prefpipe.app.science;

import static io.prefpipe.app.science.ScienceBench.dpo;
import static io.prefpipe.app.science.ScienceBench.lipo;

import io.prefpipe.app.science.ScienceBench.Comparison;
import io.prefpipe.app.science.ScienceBench.Draw;
import io.prefpipe.app.science.ScienceBench.RankedData;
import io.prefpipe.app.science.ScienceBench.Run;
import io.prefpipe.app.science.ScienceBench.Score;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study run by hand, not a test: β chosen per method for LiPO-λ on ranked lists of 8 and for DPO on the pairs of
 * the same lists, in the setting of the LiPO-λ comparison of {@link PreferenceOptimizationScienceITCase} (the same
 * warm-up, data, 600 steps at learning rate 1e-4, 4 lists or 16 pairs a step, and scoring; {@link ScienceBench}).
 * That test compared both at one β (0.5); LiPO-λ's λ-weighted logistic terms saturate at another scale than DPO's, so
 * the methods' best β may differ, and one β chosen for DPO may be unfair to LiPO-λ.
 *
 * <p>Its name matches neither surefire's patterns ({@code *Test}, {@code *ITCase}) nor failsafe's ({@code IT*},
 * {@code *IT}, {@code *ITCase}), so no build runs it. It asserts nothing. Run it with
 *
 * <pre>
 * mvn -o -B -pl app -am test -Dtest=LipoBetaStudy -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * (16 training runs; 22 minutes at load 4-8 on a 2-core machine). It prints each run's score and each decision as it
 * goes, but surefire, which the build tells to redirect test output, fills
 * {@code app/target/surefire-reports/io.prefpipe.app.science.LipoBetaStudy-output.txt} only when the run ends.
 *
 * <p>Protocol, fixed before any of its runs:
 * <ol>
 *   <li>Tuning, on one draw whose seeds no other draw here or in the test uses, {@link #TUNING}: each method trained
 *       at every β of {@link #BETAS} and scored with 12 samples a held-out prompt (864 paired samples). Each method's
 *       β is its highest win rate; on an exact tie, the smaller β.
 *   <li>Confirmation, on three fresh draws, {@link #CONFIRMATION}: each method at its own β, full scoring (24 samples
 *       a prompt, 1,728 paired samples); per draw the two win rates and LiPO-λ − DPO with its paired standard error,
 *       then the mean difference and its standard error over the draws.
 *   <li>Decision: if that mean is ≥ 0, the test compares the methods at their own β (its draws and its non-inferiority
 *       assertion unchanged; a claim that LiPO-λ is better would need a mean above twice its standard error, as the
 *       rDPO test asks). Otherwise the test keeps one β and records this study among what was measured.
 * </ol>
 *
 * <p>Measured (every figure is in the test's Javadoc): both methods picked β 0.5, and at it LiPO-λ − DPO was −0.003
 * ± 0.018 over the confirmation draws, so the test kept its one β.
 */
class LipoBetaStudy {

    static final double[] BETAS = {0.1, 0.25, 0.5, 1.0, 2.0};
    static final Draw TUNING = new Draw(313, 75, 31, 32);
    static final List<Draw> CONFIRMATION =
            List.of(new Draw(413, 85, 41, 42), new Draw(513, 95, 51, 52), new Draw(613, 105, 61, 62));

    @TempDir
    static Path dir;

    @Test
    void tuneBetaPerMethodThenConfirm() throws IOException {
        ScienceBench confirmation = ScienceBench.warmUp(dir, 24);
        ScienceBench tuning = confirmation.withSamplesPerPrompt(12);

        RankedData tuningData = RankedData.of(TUNING);
        List<String> tuningReference = tuning.referenceSamples(TUNING);
        double dpoBeta = tune(tuning, "DPO on the lists' pairs", tuningReference,
                beta -> dpo(beta, tuningData.pairs(), TUNING));
        double lipoBeta = tune(tuning, "LiPO-lambda on the lists", tuningReference,
                beta -> lipo(beta, tuningData.lists(), TUNING));
        System.out.println(String.format(Locale.ROOT, "chosen: DPO beta %s, LiPO-lambda beta %s", dpoBeta, lipoBeta));

        Comparison comparison = new Comparison(String.format(Locale.ROOT,
                "LiPO-lambda (beta %s) - DPO (beta %s) on the lists' pairs", lipoBeta, dpoBeta));
        for (Draw draw : CONFIRMATION) {
            RankedData data = RankedData.of(draw);
            List<String> reference = confirmation.referenceSamples(draw);
            Score dpo = confirmation.score("DPO beta " + dpoBeta, draw, reference, dpo(dpoBeta, data.pairs(), draw));
            Score lipo = confirmation.score("LiPO-lambda beta " + lipoBeta, draw, reference,
                    lipo(lipoBeta, data.lists(), draw));
            comparison.add(draw, lipo, dpo);
        }
        comparison.print();
    }

    /** The β of {@link #BETAS} with the highest win rate on the tuning draw; on an exact tie, the smaller. */
    private static double tune(ScienceBench bench, String method, List<String> reference, DoubleFunction<Run> run)
            throws IOException {
        double best = Double.NaN;
        double bestWinRate = Double.NEGATIVE_INFINITY;
        for (double beta : BETAS) {
            Score score = bench.score(method + " beta " + beta, TUNING, reference, run.apply(beta));
            if (score.winRate() > bestWinRate) {
                best = beta;
                bestWinRate = score.winRate();
            }
        }
        System.out.println(String.format(Locale.ROOT, "tuning: %s, best beta %s (win rate %.3f)", method, best,
                bestWinRate));
        return best;
    }
}
