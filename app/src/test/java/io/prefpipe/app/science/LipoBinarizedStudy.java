package io.prefpipe.app.science;

import static io.prefpipe.app.science.ScienceBench.dpo;
import static io.prefpipe.app.science.ScienceBench.lipo;

import io.prefpipe.app.science.ScienceBench.Draw;
import io.prefpipe.app.science.ScienceBench.RankedData;
import io.prefpipe.app.science.ScienceBench.Score;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study run by hand, not a test: how long to train DPO on ranked lists binarized as ranked data usually is for DPO
 * (one pair a list, its best response against a uniformly drawn other; {@link RankedData#binarized()}), so that the
 * comparison with LiPO-λ in {@link PreferenceOptimizationScienceITCase} gives that baseline its best budget. LiPO-λ
 * sees 2,400 lists in 600 steps; the binarized data is 2,400 pairs, one pass in 150 steps of 16, so DPO may gain from
 * more passes, or overfit.
 *
 * <p>Its name matches no surefire or failsafe pattern, so no build runs it, and it asserts nothing. Run it with
 *
 * <pre>
 * mvn -o -B -pl app -am test -Dtest=LipoBinarizedStudy -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Protocol, fixed before any of its runs: on the β study's tuning draw ({@link LipoBetaStudy#TUNING}, whose seeds
 * the test does not use), DPO at β 0.5 on the binarized lists for each of {@link #STEPS} (one, two and four passes;
 * four is LiPO-λ's cost), scored with 12 samples a held-out prompt (864 paired samples), and LiPO-λ at β 0.5 beside
 * them for scale. The test then uses the budget with the highest win rate (on a tie, the fewer steps), and compares
 * LiPO-λ with DPO on the binarized lists on its three draws, asserting that the mean difference is above zero. If it
 * is not, that assertion becomes non-inferiority and the figures are reported as they are.
 */
class LipoBinarizedStudy {

    static final int[] STEPS = {150, 300, 600};
    private static final double BETA = 0.5;

    @TempDir
    static Path dir;

    @Test
    void chooseTheBinarizedDpoBudget() throws IOException {
        ScienceBench bench = ScienceBench.warmUp(dir, 12);
        Draw draw = LipoBetaStudy.TUNING;
        RankedData data = RankedData.of(draw);
        List<String> reference = bench.referenceSamples(draw);
        int best = -1;
        double bestWinRate = Double.NEGATIVE_INFINITY;
        for (int steps : STEPS) {
            Score score = bench.score("DPO binarized, " + steps + " steps", draw, reference,
                    dpo(BETA, data.binarized(), draw, steps));
            if (score.winRate() > bestWinRate) {
                best = steps;
                bestWinRate = score.winRate();
            }
        }
        bench.score("LiPO-lambda on the lists", draw, reference, lipo(BETA, data.lists(), draw));
        System.out.println(String.format(Locale.ROOT, "chosen: DPO on the binarized lists for %d steps (win rate %.3f)",
                best, bestWinRate));
    }
}
