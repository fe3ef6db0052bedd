package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GladAggregatorTest {

    @Test
    void gradient_threeClasses_matchesCentralDifferences() {
        CrowdDataset data = SyntheticCrowd.generate(1, 40, 4, new double[] {0.3, 0.3, 0.4},
                SyntheticCrowd.annotators("a", 6, SyntheticCrowd.Kind.ACCURATE, 0.7, 0), 0, false).data();
        SplittableRandom random = new SplittableRandom(2);
        double[] correct = random.doubles(data.numJudgements()).toArray();
        double[] alpha = random.doubles(data.numAnnotators(), -2, 3).toArray();
        double[] b = random.doubles(data.numItems(), -1.5, 1.5).toArray();
        GladObjective q = new GladObjective(data, correct, 1, 0.5, 1, 2);

        double[] gA = new double[alpha.length];
        double[] gB = new double[b.length];
        q.gradient(alpha, b, gA, gB, new double[alpha.length], new double[b.length]);
        double h = 1e-6;
        for (int a = 0; a < alpha.length; a++) {
            double[] up = alpha.clone();
            double[] down = alpha.clone();
            up[a] += h;
            down[a] -= h;
            double numeric = (q.value(up, b) - q.value(down, b)) / (2 * h);
            assertThat(gA[a]).as("dQ/dalpha[%d]", a).isCloseTo(numeric, within(1e-6 * (1 + Math.abs(numeric))));
        }
        for (int i = 0; i < b.length; i++) {
            double[] up = b.clone();
            double[] down = b.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (q.value(alpha, up) - q.value(alpha, down)) / (2 * h);
            assertThat(gB[i]).as("dQ/db[%d]", i).isCloseTo(numeric, within(1e-6 * (1 + Math.abs(numeric))));
        }
    }

    @Test
    void ascend_fromThePrior_neverLowersTheObjective() {
        CrowdDataset data = Toys.threeItems();
        double[] correct = {0.9, 0.9, 0.1, 0.8, 0.8, 0.8, 0.5, 0.5};
        GladObjective q = new GladObjective(data, correct, 1, 1, 1, 1);
        double[] alpha = {1, 1, 1};
        double[] b = {1, 1, 1};
        double before = q.value(alpha, b);
        GladAggregator.ascend(q, alpha, b, 25);
        assertThat(q.value(alpha, b)).isGreaterThan(before);
        // C is right on only the 0.1-weighted judgement of i0 and the two 0.8 ones: ability below A's and B's
        assertThat(alpha[2]).isLessThan(alpha[0]);
    }

    @Test
    void fit_ambiguousItems_getSmallInverseDifficulty() {
        List<SyntheticCrowd.Annotator> annotators = new ArrayList<>();
        annotators.addAll(SyntheticCrowd.annotators("good", 20, SyntheticCrowd.Kind.ACCURATE, 0.85, 0));
        annotators.addAll(SyntheticCrowd.annotators("spam", 5, SyntheticCrowd.Kind.SPAMMER, 0, 0));
        annotators.addAll(SyntheticCrowd.annotators("evil", 5, SyntheticCrowd.Kind.ADVERSARIAL, 0.2, 0));
        SyntheticCrowd.Crowd crowd = SyntheticCrowd.generate(9, 600, 9, new double[] {0.5, 0.5}, annotators, 0.2,
                false);
        AggregationResult<GladModel> r = new GladAggregator().fit(crowd.data());

        double[] ambiguous = betas(r, crowd, true);
        double[] clear = betas(r, crowd, false);
        assertThat(median(ambiguous)).isLessThan(0.5 * median(clear));
        assertThat(r.converged()).isTrue();
        assertThat(r.model().alpha("good0")).isGreaterThan(r.model().alpha("spam0"));
        assertThat(r.model().alpha("evil0")).isNegative();
        assertThat(Math.abs(r.model().alpha("spam0"))).isLessThan(0.5);
        double clearAccuracy = 0;
        int clearItems = 0;
        for (int i = 0; i < crowd.truth().length; i++) {
            if (!crowd.ambiguous()[i]) {
                clearItems++;
                clearAccuracy += r.decided(i) == crowd.truth()[i] ? 1 : 0;
            }
        }
        assertThat(clearAccuracy / clearItems).isGreaterThan(0.95);
    }

    private static double[] betas(AggregationResult<GladModel> r, SyntheticCrowd.Crowd crowd, boolean ambiguous) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < crowd.truth().length; i++) {
            if (crowd.ambiguous()[i] == ambiguous) {
                out.add(r.inverseDifficulty(i).getAsDouble());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void model_newItem_usesTheTypicalDifficultyAndMeanAbilityForStrangers() {
        AggregationResult<GladModel> r = new GladAggregator().fit(Toys.threeItems());
        GladModel m = r.model();
        double beta = m.newItemInverseDifficulty();
        double s = 1 / (1 + Math.exp(-m.alpha("A") * beta));
        // one vote for class 1 from A, uniform class prior: posterior (1 - s) : s
        assertThat(m.posterior(List.of(Vote.of("A", 1)))[1]).isCloseTo(s, within(1e-12));
        double meanAlpha = (m.alpha("A") + m.alpha("B") + m.alpha("C")) / 3;
        assertThat(m.alpha("stranger")).isCloseTo(meanAlpha, within(1e-12));
        assertThat(r.inverseDifficulty(0)).isPresent();
        assertThat(new DawidSkeneAggregator().fit(Toys.threeItems()).inverseDifficulty(0)).isEmpty();
    }
}
