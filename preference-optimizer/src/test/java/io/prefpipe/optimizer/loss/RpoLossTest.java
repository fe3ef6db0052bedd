package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class RpoLossTest {

    @Test
    void compute_handWorkedPair_matches() {
        // β = 0.5, α = 2; ρ_w = −1 − (−2) = 1, ρ_l = −1, β·h = 1: DPO term softplus(−1) = 0.3132617
        // NLL = −(−1)/4 tokens = 0.25; L = 0.3132617 + 2·0.25 = 0.8132617
        // ∂L/∂log π_θ(y_w) = −β·σ(−1) − α/4 = −0.1344707 − 0.5 = −0.6344707; ∂L/∂log π_θ(y_l) = +0.1344707
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new RpoLoss(0.5, 2), PairBatches.of(m, new float[] {-1f},
                    new float[] {-3f}, new float[] {-2f}, new float[] {-2f}, new float[] {4f}, new float[] {7f}));
            assertThat(r.loss()).isCloseTo(0.8132617, within(1e-6));
            assertThat(r.chosen()[0]).isCloseTo(-0.6344707f, within(1e-6f));
            assertThat(r.rejected()[0]).isCloseTo(0.1344707f, within(1e-6f));
            assertThat(r.output().metrics().keySet()).endsWith("kl", "nll");
            assertThat(r.output().metrics().get("nll")).isCloseTo(0.25, within(1e-7));
        }
    }

    @Test
    void compute_isDpoPlusAlphaTimesTheTokenMeanNll() {
        // NLL over tokens = (3 + 5)/(1 + 3) = 2, where the mean of per-sequence NLLs would be (3 + 5/3)/2 = 2.33
        try (NDManager m = NDManager.newBaseManager()) {
            float[] pc = {-3f, -5f};
            float[] pr = {-4f, -4f};
            float[] rc = {-3.5f, -4f};
            float[] rr = {-3f, -4.5f};
            float[] chosenTokens = {1f, 3f};
            float[] rejectedTokens = {2f, 2f};
            PairBatches.Result rpo = PairBatches.run(new RpoLoss(0.5, 0.7),
                    PairBatches.of(m, pc, pr, rc, rr, chosenTokens, rejectedTokens));
            PairBatches.Result dpo = PairBatches.run(new DpoLoss(0.5),
                    PairBatches.of(m, pc, pr, rc, rr, chosenTokens, rejectedTokens));
            assertThat(rpo.output().metrics().get("nll")).isCloseTo(2, within(1e-6));
            assertThat(rpo.loss()).isCloseTo(dpo.loss() + 0.7 * 2, within(1e-6));
            // the NLL's gradient is −α/Σ|y_w| = −0.7/4 on every chosen response
            assertThat(rpo.chosen()).containsExactly(
                    new float[] {dpo.chosen()[0] - 0.175f, dpo.chosen()[1] - 0.175f}, within(1e-6f));
            assertThat(rpo.rejected()).containsExactly(dpo.rejected(), within(1e-7f));
        }
    }

    @Test
    void compute_zeroAlpha_isDpo() {
        try (NDManager m = NDManager.newBaseManager()) {
            PairLogProbs batch = PairBatches.of(m, new float[] {-1f, -4f}, new float[] {-3f, -1f},
                    new float[] {-2f, -2f}, new float[] {-2f, -2f});
            assertThat(new RpoLoss(0.5, 0).compute(batch).loss().getFloat())
                    .isCloseTo(new DpoLoss(0.5).compute(batch).loss().getFloat(), within(1e-7f));
        }
    }

    @Test
    void constructor_defaultsAndBadHyperparameters() {
        assertThat(new RpoLoss(0.1).alpha()).isEqualTo(1.0);
        assertThatThrownBy(() -> new RpoLoss(0.1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RpoLoss(0.1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RpoLoss(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }
}
