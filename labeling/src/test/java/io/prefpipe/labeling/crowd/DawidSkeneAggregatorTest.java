package io.prefpipe.labeling.crowd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DawidSkeneAggregatorTest {

    /**
     * One EM iteration on {@link Toys#threeItems()} with Laplace smoothing s = 1, worked by hand. Start: soft majority
     * T = i0 [2/3, 1/3], i1 [0, 1], i2 [1/2, 1/2]. M-step: p = ((7/6 + 1)/5, (11/6 + 1)/5) = (13/30, 17/30);
     * π_A = [[13/19, 6/19], [11/23, 12/23]], π_B = [[10/19, 9/19], [8/23, 15/23]], π_C = [[3/8, 5/8], [3/10, 7/10]].
     */
    @Test
    void fit_oneIteration_matchesTheHandComputedEmStep() {
        AggregationResult<DawidSkeneModel> r = DawidSkeneAggregator.builder().setSmoothing(1).setMaxIterations(1)
                .build().fit(Toys.threeItems());
        double[][] piA = {{13.0 / 19, 6.0 / 19}, {11.0 / 23, 12.0 / 23}};
        double[][] piB = {{10.0 / 19, 9.0 / 19}, {8.0 / 23, 15.0 / 23}};
        double[][] piC = {{3.0 / 8, 5.0 / 8}, {3.0 / 10, 7.0 / 10}};
        double[] p = {13.0 / 30, 17.0 / 30};
        assertThat(r.model().priors()).containsExactly(p, within(1e-12));
        assertMatrix(r.model().confusion("A"), piA);
        assertMatrix(r.model().confusion("B"), piB);
        assertMatrix(r.model().confusion("C"), piC);

        // E-step: u_ik = p_k Π π[k][label]
        double[][] u = {
            {p[0] * piA[0][0] * piB[0][0] * piC[0][1], p[1] * piA[1][0] * piB[1][0] * piC[1][1]},
            {p[0] * piA[0][1] * piB[0][1] * piC[0][1], p[1] * piA[1][1] * piB[1][1] * piC[1][1]},
            {p[0] * piA[0][0] * piB[0][1], p[1] * piA[1][0] * piB[1][1]}
        };
        double logLikelihood = 0;
        for (int i = 0; i < 3; i++) {
            double z = u[i][0] + u[i][1];
            assertThat(r.probability(i, 0)).isCloseTo(u[i][0] / z, within(1e-12));
            logLikelihood += Math.log(z);
        }
        assertThat(r.logLikelihood().getAsDouble()).isCloseTo(logLikelihood, within(1e-12));
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.converged()).isFalse();
    }

    private static void assertMatrix(double[][] actual, double[][] expected) {
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).containsExactly(expected[k], within(1e-12));
        }
    }

    @Test
    void fit_spammersAndAdversaries_beatsMajorityVote() {
        List<SyntheticCrowd.Annotator> annotators = new ArrayList<>();
        annotators.addAll(SyntheticCrowd.annotators("good", 8, SyntheticCrowd.Kind.ACCURATE, 0.8, 0));
        annotators.addAll(SyntheticCrowd.annotators("spam", 6, SyntheticCrowd.Kind.SPAMMER, 0, 0));
        annotators.addAll(SyntheticCrowd.annotators("evil", 6, SyntheticCrowd.Kind.ADVERSARIAL, 0.15, 0));
        SyntheticCrowd.Crowd crowd = SyntheticCrowd.generate(7, 2_000, 5, new double[] {0.5, 0.5}, annotators, 0,
                false);

        AggregationResult<DawidSkeneModel> ds = new DawidSkeneAggregator().fit(crowd.data());
        double mv = crowd.accuracy(new MajorityVoteAggregator().fit(crowd.data()));
        assertThat(ds.converged()).isTrue();
        assertThat(crowd.accuracy(ds)).isGreaterThan(0.9).isGreaterThan(mv + 0.1);
        // adversaries are not just ignored: their inverted votes are used, their confusion is anti-diagonal
        assertThat(ds.model().confusion("evil0")[0][1]).isGreaterThan(0.75);
        assertThat(ds.model().flags("evil0", FlagThresholds.DEFAULTS)).containsExactly(AnnotatorFlag.ADVERSARIAL);
        assertThat(ds.model().flags("spam0", FlagThresholds.DEFAULTS)).containsExactly(AnnotatorFlag.SPAMMER);
        assertThat(ds.model().flags("good0", FlagThresholds.DEFAULTS)).isEmpty();
    }

    @Test
    void fit_sameData_isDeterministicAndSeedsReproduceData() {
        List<SyntheticCrowd.Annotator> annotators =
                SyntheticCrowd.annotators("a", 10, SyntheticCrowd.Kind.ACCURATE, 0.7, 0);
        SyntheticCrowd.Crowd one = SyntheticCrowd.generate(3, 300, 4, new double[] {0.3, 0.3, 0.4}, annotators, 0,
                false);
        SyntheticCrowd.Crowd again = SyntheticCrowd.generate(3, 300, 4, new double[] {0.3, 0.3, 0.4}, annotators, 0,
                false);
        SyntheticCrowd.Crowd other = SyntheticCrowd.generate(4, 300, 4, new double[] {0.3, 0.3, 0.4}, annotators, 0,
                false);
        assertThat(again.truth()).isEqualTo(one.truth());
        assertThat(other.truth()).isNotEqualTo(one.truth());

        AggregationResult<DawidSkeneModel> a = new DawidSkeneAggregator().fit(one.data());
        AggregationResult<DawidSkeneModel> b = new DawidSkeneAggregator().fit(again.data());
        for (int i = 0; i < 300; i++) {
            assertThat(b.posterior(i)).isEqualTo(a.posterior(i));
        }
        assertThat(b.logLikelihood()).isEqualTo(a.logLikelihood());
    }

    @Test
    void model_trainingItemVotes_scoreToTheirFittedPosterior() {
        CrowdDataset data = Toys.threeItems();
        AggregationResult<DawidSkeneModel> r = new DawidSkeneAggregator().fit(data);
        for (int i = 0; i < data.numItems(); i++) {
            List<Vote> votes = new ArrayList<>();
            for (int j = data.itemStart(i); j < data.itemEnd(i); j++) {
                votes.add(Vote.of(data.annotators().id(data.annotator(j)), data.label(j)));
            }
            assertThat(r.model().posterior(votes)).containsExactly(r.posterior(i), within(1e-12));
        }
    }

    @Test
    void model_unknownAnnotator_usesThePooledConfusion() {
        AggregationResult<DawidSkeneModel> r = new DawidSkeneAggregator().fit(Toys.threeItems());
        double[][] pooled = r.model().confusion("stranger");
        assertThat(pooled[0][0] + pooled[0][1]).isCloseTo(1, within(1e-12));
        assertThat(r.model().profile("stranger").judgements()).isZero();
        double[] prior = r.model().priors();
        double[] p = r.model().posterior(List.of(Vote.of("stranger", 0)));
        double expected = prior[0] * pooled[0][0] / (prior[0] * pooled[0][0] + prior[1] * pooled[1][0]);
        assertThat(p[0]).isCloseTo(expected, within(1e-12));
        assertThat(r.model().posterior(List.of())).containsExactly(prior, within(1e-12));
    }

    @Test
    void fit_logLikelihood_risesToConvergence() {
        CrowdDataset data = SyntheticCrowd.generate(11, 500, 5, new double[] {0.7, 0.3},
                SyntheticCrowd.annotators("a", 12, SyntheticCrowd.Kind.ACCURATE, 0.75, 0), 0, false).data();
        double previous = Double.NEGATIVE_INFINITY;
        for (int iterations = 1; iterations <= 8; iterations++) {
            double ll = DawidSkeneAggregator.builder().setMaxIterations(iterations).setTolerance(0).build().fit(data)
                    .logLikelihood().getAsDouble();
            // EM on the smoothed (MAP) objective: the likelihood may dip by no more than the tiny prior term
            assertThat(ll).isGreaterThan(previous - 1e-3);
            previous = ll;
        }
    }

    @Test
    void posterior_labelOutsideTheClasses_isRefusedNamingTheVote() {
        DawidSkeneModel model = new DawidSkeneAggregator().fit(Toys.threeItems()).model();
        assertThatThrownBy(() -> model.posterior(List.of(Vote.of("A", 0), Vote.of("A", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vote 1: label 2");
    }

    @Test
    void builder_badSettings_areRefusedNamingTheField() {
        assertThatThrownBy(() -> DawidSkeneAggregator.builder().setSmoothing(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> DawidSkeneAggregator.builder().setMaxIterations(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIterations");
        assertThatThrownBy(() -> DawidSkeneAggregator.builder().setTolerance(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
    }
}
