package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ConservativeDpoLossTest {

    @Test
    void compute_handWorkedPair_matches() {
        // β = 1, h = 1, ε = 0.25: L = 0.75·softplus(−1) + 0.25·softplus(1) = 0.75·0.3132617 + 0.25·1.3132617
        //   = 0.5632617
        // ∂L/∂log π_θ(y_w) = β·[−0.75·σ(−1) + 0.25·σ(1)] = −0.75·0.2689414 + 0.25·0.7310586 = −0.0189414
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new ConservativeDpoLoss(1, 0.25),
                    PairBatches.of(m, new float[] {-1f}, new float[] {-2f}, new float[] {-1f}, new float[] {-1f}));
            assertThat(r.loss()).isCloseTo(0.5632617, within(1e-6));
            assertThat(r.chosen()[0]).isCloseTo(-0.0189414f, within(1e-6f));
            assertThat(r.rejected()[0]).isCloseTo(0.0189414f, within(1e-6f));
        }
    }

    @Test
    void gradient_vanishesWhereTheModelMatchesTheSmoothedLabel() {
        // ∂L/∂(β·h) = −σ(−β·h) + ε, zero at σ(β·h) = 1 − ε: for ε = 0.25, β·h = log 3 = 1.0986123
        // (β = 0.1, h = 10.986123)
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new ConservativeDpoLoss(0.1, 0.25),
                    PairBatches.of(m, new float[] {10.986123f}, new float[] {0f}, new float[] {0f}, new float[] {0f}));
            assertThat(r.chosen()[0]).isCloseTo(0f, within(1e-6f));
            // and beyond it the pull reverses, where DPO would keep raising h
            PairBatches.Result beyond = PairBatches.run(new ConservativeDpoLoss(0.1, 0.25),
                    PairBatches.of(m, new float[] {30f}, new float[] {0f}, new float[] {0f}, new float[] {0f}));
            assertThat(beyond.chosen()[0]).isPositive();
        }
    }

    @Test
    void compute_zeroEpsilon_isDpo() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] pc = {-1f, -4f, -2f};
            float[] pr = {-3f, -1f, -2.5f};
            float[] rc = {-2f, -2f, -1f};
            float[] rr = {-2f, -2f, -3f};
            PairBatches.Result cdpo =
                    PairBatches.run(new ConservativeDpoLoss(0.5, 0), PairBatches.of(m, pc, pr, rc, rr));
            PairBatches.Result dpo = PairBatches.run(new DpoLoss(0.5), PairBatches.of(m, pc, pr, rc, rr));
            assertThat(PairBatches.metricValues(cdpo.output()))
                    .containsExactly(PairBatches.metricValues(dpo.output()), within(1e-6));
            assertThat(cdpo.chosen()).containsExactly(dpo.chosen(), within(1e-6f));
            assertThat(cdpo.rejected()).containsExactly(dpo.rejected(), within(1e-6f));
        }
    }

    @Test
    void compute_hugeMargins_stayFinite() {
        // |β·h| = 10^4: L ≈ (1 − ε)·0 + ε·10^4 for h > 0 and (1 − ε)·10^4 for h < 0; mean (0.1 + 0.9)·10^4/2 = 5000
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new ConservativeDpoLoss(1, 0.1), PairBatches.of(m,
                    new float[] {1e4f, -1e4f}, new float[] {0f, 0f}, new float[] {0f, 0f}, new float[] {0f, 0f}));
            assertThat(r.loss()).isCloseTo(5000, within(1e-2));
            assertThat(r.chosen()).containsExactly(new float[] {0.05f, -0.45f}, within(1e-6f));
        }
    }

    @Test
    void constructor_badHyperparameters_areRefusedNamingTheField() {
        assertThatThrownBy(() -> new ConservativeDpoLoss(0.1, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new ConservativeDpoLoss(0.1, -0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new ConservativeDpoLoss(Double.POSITIVE_INFINITY, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }
}
