package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class RobustDpoLossTest {

    @Test
    void compute_handWorkedPair_isNegativeAndMatches() {
        // β = 1, h = 1, ε = 0.25: L = [0.75·softplus(−1) − 0.25·softplus(1)]/0.5
        //   = (0.75·0.3132617 − 0.25·1.3132617)/0.5 = (0.2349463 − 0.3283154)/0.5 = −0.1867383
        // ∂L/∂log π_θ(y_w) = β·[−0.75·σ(−1) − 0.25·σ(1)]/0.5 = (−0.2017061 − 0.1827646)/0.5 = −0.7689414
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new RobustDpoLoss(1, 0.25),
                    PairBatches.of(m, new float[] {-1f}, new float[] {-2f}, new float[] {-1f}, new float[] {-1f}));
            assertThat(r.loss()).isCloseTo(-0.1867383, within(1e-6));
            assertThat(r.chosen()[0]).isCloseTo(-0.7689414f, within(1e-6f));
            assertThat(r.rejected()[0]).isCloseTo(0.7689414f, within(1e-6f));
        }
    }

    @Test
    void compute_expectedOverLabelFlips_isTheCleanDpoLoss() {
        // with probability 1 − ε the pair is seen as labelled (h), with probability ε flipped (−h)
        double beta = 0.5;
        double epsilon = 0.2;
        RobustDpoLoss loss = new RobustDpoLoss(beta, epsilon);
        try (NDManager m = NDManager.newBaseManager()) {
            for (float h : new float[] {-3f, 0.7f, 4f}) {
                double seen = loss.compute(single(m, h)).metrics().get("loss");
                double flipped = loss.compute(single(m, -h)).metrics().get("loss");
                double cleanDpo = Math.log1p(Math.exp(-beta * h));
                assertThat((1 - epsilon) * seen + epsilon * flipped).as("h = %s", h).isCloseTo(cleanDpo, within(1e-6));
            }
        }
    }

    @Test
    void compute_zeroEpsilon_isDpo() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] pc = {-1f, -4f, -2f};
            float[] pr = {-3f, -1f, -2.5f};
            float[] rc = {-2f, -2f, -1f};
            float[] rr = {-2f, -2f, -3f};
            PairBatches.Result rdpo = PairBatches.run(new RobustDpoLoss(0.5, 0), PairBatches.of(m, pc, pr, rc, rr));
            PairBatches.Result dpo = PairBatches.run(new DpoLoss(0.5), PairBatches.of(m, pc, pr, rc, rr));
            assertThat(PairBatches.metricValues(rdpo.output()))
                    .containsExactly(PairBatches.metricValues(dpo.output()), within(1e-6));
            assertThat(rdpo.chosen()).containsExactly(dpo.chosen(), within(1e-6f));
            assertThat(rdpo.rejected()).containsExactly(dpo.rejected(), within(1e-6f));
        }
    }

    @Test
    void compute_hugeMargin_staysFinite() {
        // β·h = 10^4, ε = 0.1: L ≈ [0.9·0 − 0.1·10^4]/0.8 = −1250
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(new RobustDpoLoss(1, 0.1).compute(single(m, 1e4f)).metrics().get("loss"))
                    .isCloseTo(-1250, within(1e-2));
        }
    }

    @Test
    void constructor_badHyperparameters_areRefusedNamingTheField() {
        assertThatThrownBy(() -> new RobustDpoLoss(0.1, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new RobustDpoLoss(0.1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new RobustDpoLoss(-1, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }

    private static PairLogProbs single(NDManager m, float h) {
        return PairBatches.of(m, new float[] {h}, new float[] {0f}, new float[] {0f}, new float[] {0f});
    }
}
