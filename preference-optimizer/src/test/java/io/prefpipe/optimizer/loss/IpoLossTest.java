package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpoLossTest {

    // β = 0.5, so the target 1/(2β) = 1
    // chosen: log π_θ = −4, log π_ref = −6, |y_w| = 2 → ρ_w = 2, per token 1
    // rejected: log π_θ = −9, log π_ref = −6, |y_l| = 3 → ρ_l = −3, per token −1
    private static PairLogProbs pair(NDManager m) {
        return PairBatches.of(m, new float[] {-4f}, new float[] {-9f}, new float[] {-6f}, new float[] {-6f},
                new float[] {2f}, new float[] {3f});
    }

    @Test
    void compute_lengthNormalized_usesPerTokenLogRatios() {
        // h̄ = 1 − (−1) = 2; L = (2 − 1)² = 1
        // ∂L/∂log π_θ(y_w) = 2·(h̄ − 1)/|y_w| = 1; ∂L/∂log π_θ(y_l) = −2·(h̄ − 1)/|y_l| = −2/3
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new IpoLoss(0.5), pair(m));
            assertThat(r.loss()).isCloseTo(1, within(1e-6));
            assertThat(r.chosen()[0]).isCloseTo(1f, within(1e-6f));
            assertThat(r.rejected()[0]).isCloseTo(-0.6666667f, within(1e-6f));
        }
    }

    @Test
    void compute_summed_isThePapersForm() {
        // h = 2 − (−3) = 5; L = (5 − 1)² = 16; ∂L/∂log π_θ(y_w) = 2·4 = 8, ∂L/∂log π_θ(y_l) = −8
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new IpoLoss(0.5, false), pair(m));
            assertThat(r.loss()).isCloseTo(16, within(1e-5));
            assertThat(r.chosen()[0]).isCloseTo(8f, within(1e-5f));
            assertThat(r.rejected()[0]).isCloseTo(-8f, within(1e-5f));
        }
    }

    @Test
    void compute_rewardStatistics_useUnnormalizedLogRatios() {
        // rewards/chosen = 0.5·2 = 1; rewards/rejected = 0.5·(−3) = −1.5; margin 2.5; kl = (2 − 3)/2 = −0.5
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out = new IpoLoss(0.5).compute(pair(m));
            assertThat(PairBatches.metricValues(out)).containsExactly(
                    new double[] {1, 1, -1.5, 1, 2.5, -0.5}, within(1e-6));
        }
    }

    @Test
    void compute_atTheTarget_hasNoLossAndNoGradient() {
        // β = 0.25: target 2; ρ_w = 3 over 3 tokens → 1, ρ_l = −2 over 2 tokens → −1; h̄ = 2
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new IpoLoss(0.25), PairBatches.of(m, new float[] {-1f},
                    new float[] {-6f}, new float[] {-4f}, new float[] {-4f}, new float[] {3f}, new float[] {2f}));
            assertThat(r.loss()).isCloseTo(0, within(1e-10));
            assertThat(r.chosen()[0]).isCloseTo(0f, within(1e-6f));
        }
    }

    @Test
    void compute_integerAndZeroTokenCounts_areClampedToOne() {
        // |y_w| = 0 counts as 1: h̄ = 2/1 − (−3)/3 = 3; L = (3 − 1)² = 4
        try (NDManager m = NDManager.newBaseManager()) {
            PairLogProbs batch = new PairLogProbs(m.create(new float[] {-4f}), m.create(new float[] {-9f}),
                    m.create(new float[] {-6f}), m.create(new float[] {-6f}), m.create(new int[] {0}),
                    m.create(new int[] {3}));
            assertThat(new IpoLoss(0.5).compute(batch).metrics().get("loss")).isCloseTo(4, within(1e-5));
        }
    }

    @Test
    void parameters_recordTheNormalization() {
        assertThat(new IpoLoss(0.5).parameters()).isEqualTo(Map.of("length_normalized", 1.0));
        assertThat(new IpoLoss(0.5, false).parameters()).isEqualTo(Map.of("length_normalized", 0.0));
    }

    @Test
    void constructor_badBeta_isRefused() {
        assertThatThrownBy(() -> new IpoLoss(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }
}
