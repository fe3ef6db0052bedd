package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class DpoLossTest {

    @Test
    void compute_equalMargins_isLog2() {
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLoss.Output out = new DpoLoss().compute(
                    m.create(new float[] {-3f, -1f}), m.create(new float[] {-5f, -2f}),
                    m.create(new float[] {-3f, -1f}), m.create(new float[] {-5f, -2f}));
            assertThat(out.loss().getFloat()).isCloseTo((float) Math.log(2), within(1e-6f));
            assertThat(out.metrics().rewardAccuracy()).isZero();
            assertThat(out.metrics().rewardMargin()).isZero();
        }
    }

    @Test
    void compute_handWorkedPair_matches() {
        // β = 0.5; ρ_w = −1 − (−2) = 1; ρ_l = −3 − (−2) = −1; h = 2; β·h = 1; L = softplus(−1) = log(1 + e^−1)
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLoss.Output out = new DpoLoss(0.5).compute(m.create(new float[] {-1f}), m.create(new float[] {-3f}),
                    m.create(new float[] {-2f}), m.create(new float[] {-2f}));
            assertThat(out.loss().getFloat()).isCloseTo(0.3132617f, within(1e-6f));
            assertThat(out.metrics()).isEqualTo(new DpoMetrics(out.loss().getFloat(), 0.5, -0.5, 1.0, 1.0));
        }
    }

    @Test
    void compute_batch_isTheMeanOverPairs() {
        // β = 0.1: pair 1 has h = 10 (β·h = 1), pair 2 has h = −10 (β·h = −1)
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLoss.Output out = new DpoLoss().compute(m.create(new float[] {0f, -10f}), m.create(new float[] {-10f, 0f}),
                    m.zeros(new Shape(2)), m.zeros(new Shape(2)));
            double expected = (Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(1))) / 2;
            assertThat(out.loss().getFloat()).isCloseTo((float) expected, within(1e-6f));
            assertThat(out.metrics().rewardAccuracy()).isEqualTo(0.5);
            assertThat(out.metrics().rewardsChosen()).isCloseTo(-0.5, within(1e-6));
            assertThat(out.metrics().rewardsRejected()).isCloseTo(-0.5, within(1e-6));
        }
    }

    @Test
    void compute_pairLogProbs_reportsTheSharedStatisticsInOrder() {
        // β = 0.5; pair 1: ρ_w = 1, ρ_l = −1 (h = 2); pair 2: ρ_w = −2, ρ_l = 1 (h = −3)
        // loss = (softplus(−1) + softplus(1.5))/2 = (0.3132617 + 1.7014133)/2 = 1.0073375
        // rewards/chosen = 0.5·(1 − 2)/2 = −0.25; rewards/rejected = 0.5·(−1 + 1)/2 = 0
        // accuracy = 1/2; margin = 0.5·(2 − 3)/2 = −0.25; kl = ((1 − 1)/2 + (−2 + 1)/2)/2 = −0.25
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out = new DpoLoss(0.5).compute(PairBatches.of(m, new float[] {-1f, -4f},
                    new float[] {-3f, -1f}, new float[] {-2f, -2f}, new float[] {-2f, -2f}));
            assertThat(out.metrics().keySet()).containsExactly("loss", "rewards/chosen", "rewards/rejected",
                    "rewards/accuracy", "rewards/margin", "kl");
            assertThat(PairBatches.metricValues(out)).containsExactly(
                    new double[] {1.0073375, -0.25, 0.0, 0.5, -0.25, -0.25}, within(1e-6));
            assertThat(out.loss().getFloat()).isCloseTo(1.0073375f, within(1e-6f));
        }
    }

    @Test
    void compute_pairLogProbsAndArrays_agree() {
        try (NDManager m = NDManager.newBaseManager()) {
            PairLogProbs batch = PairBatches.of(m, new float[] {-1f, -4f}, new float[] {-3f, -1f},
                    new float[] {-2f, -2.5f}, new float[] {-2f, -1.5f});
            DpoLoss loss = new DpoLoss(0.3);
            DpoMetrics arrays = loss.compute(batch.policyChosen(), batch.policyRejected(), batch.refChosen(),
                    batch.refRejected()).metrics();
            assertThat(loss.compute(batch).metrics()).containsAllEntriesOf(arrays.asMap());
        }
    }

    @Test
    void compute_hugeNegativeMargin_staysFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLoss.Output out = new DpoLoss(1).compute(m.create(new float[] {-1000f}), m.create(new float[] {0f}),
                    m.create(new float[] {0f}), m.create(new float[] {0f}));
            assertThat(out.loss().getFloat()).isCloseTo(1000f, within(1e-3f));
        }
    }

    @Test
    void gradient_raisesChosenAndLowersRejected() {
        // ∂L/∂π_θ(y_w) = −β·σ(−β·h) and ∂L/∂π_θ(y_l) = +β·σ(−β·h); with β = 0.5, h = 2: σ(−1) = 0.268941
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {-1f});
            NDArray rejected = m.create(new float[] {-3f});
            chosen.setRequiresGradient(true);
            rejected.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new DpoLoss(0.5).evaluate(
                        new NDList(m.create(new float[] {-2f}), m.create(new float[] {-2f})),
                        new NDList(chosen, rejected));
                collector.backward(loss);
            }
            assertThat(chosen.getGradient().getFloat()).isNegative().isCloseTo(-0.5f * 0.268941f, within(1e-6f));
            assertThat(rejected.getGradient().getFloat()).isPositive().isCloseTo(0.5f * 0.268941f, within(1e-6f));
        }
    }

    @Test
    void gradient_throughTheInterface_isTheMeanOverPairs() {
        // pair 1 as above (β·h = 1): ∓0.5·σ(−1)/2 = ∓0.0672354; pair 2 has β·h = −1.5: ∓0.5·σ(1.5)/2 = ∓0.2043936
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new DpoLoss(0.5), PairBatches.of(m, new float[] {-1f, -4f},
                    new float[] {-3f, -1f}, new float[] {-2f, -2f}, new float[] {-2f, -2f}));
            assertThat(r.chosen()).containsExactly(new float[] {-0.0672354f, -0.2043936f}, within(1e-6f));
            assertThat(r.rejected()).containsExactly(new float[] {0.0672354f, 0.2043936f}, within(1e-6f));
        }
    }

    @Test
    void pairLogProbs_mismatchedShapes_areRefusedNamingTheField() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray two = m.zeros(new Shape(2));
            assertThatThrownBy(() -> new PairLogProbs(two, two, two, m.zeros(new Shape(3)), two, two))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refRejected");
            assertThatThrownBy(() -> new PairLogProbs(m.zeros(new Shape(2, 1)), two, two, two, two, two))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("policyChosen");
        }
    }

    @Test
    void constructor_nonPositiveBeta_isRefused() {
        assertThatThrownBy(() -> new DpoLoss(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> new DpoLoss(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }
}
