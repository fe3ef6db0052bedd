package io.prefpipe.reward.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class BradleyTerryLossTest {

    @Test
    void compute_handWorkedPairs_lossAndMetrics() {
        // Δ = (2 − 0, 0 − 1) = (2, −1); L = (softplus(−2) + softplus(1)) / 2 = (0.1269280 + 1.3132617) / 2 = 0.7200948
        // accuracy: only pair 1 has r_c > r_r → 1/2; margin = (2 − 1) / 2 = 0.5
        try (NDManager m = NDManager.newBaseManager()) {
            BradleyTerryLoss.Output out = new BradleyTerryLoss().compute(
                    m.create(new float[] {2f, 0f}), m.create(new float[] {0f, 1f}));
            assertThat(out.loss().getFloat()).isCloseTo(0.7200948f, within(1e-6f));
            assertThat(out.metrics().keySet()).containsExactly("loss", "accuracy", "margin");
            assertThat(out.metrics().get("loss")).isCloseTo(0.7200948, within(1e-6));
            assertThat(out.metrics().get("accuracy")).isEqualTo(0.5);
            assertThat(out.metrics().get("margin")).isCloseTo(0.5, within(1e-6));
        }
    }

    @Test
    void compute_gradients_matchTheClosedForm() {
        // ∂L/∂r_c,i = −σ(−Δ_i) / B, ∂L/∂r_r,i = σ(−Δ_i) / B with Δ = (2, −1), B = 2:
        // σ(−2) / 2 = 0.1192029 / 2 = 0.0596015; σ(1) / 2 = 0.7310586 / 2 = 0.3655293
        float[][] grads = gradients(new BradleyTerryLoss(), new float[] {2f, 0f}, new float[] {0f, 1f}, null);
        assertThat(grads[0]).containsExactly(new float[] {-0.0596015f, -0.3655293f}, within(1e-6f));
        assertThat(grads[1]).containsExactly(new float[] {0.0596015f, 0.3655293f}, within(1e-6f));
    }

    @Test
    void compute_margins_shiftTheDifference() {
        // m = (1, 0.5): Δ = (2 − 1, −1 − 0.5) = (1, −1.5); L = (softplus(−1) + softplus(1.5)) / 2
        //   = (0.3132617 + 1.7014133) / 2 = 1.0073375; accuracy and margin ignore m
        try (NDManager m = NDManager.newBaseManager()) {
            BradleyTerryLoss.Output out = new BradleyTerryLoss().compute(m.create(new float[] {2f, 0f}),
                    m.create(new float[] {0f, 1f}), m.create(new float[] {1f, 0.5f}));
            assertThat(out.loss().getFloat()).isCloseTo(1.0073375f, within(1e-6f));
            assertThat(out.metrics().get("accuracy")).isEqualTo(0.5);
            assertThat(out.metrics().get("margin")).isCloseTo(0.5, within(1e-6));
            // as a DJL Loss: labels = [margins], predictions = [chosen, rejected]
            NDArray viaEvaluate = new BradleyTerryLoss().evaluate(new NDList(m.create(new float[] {1f, 0.5f})),
                    new NDList(m.create(new float[] {2f, 0f}), m.create(new float[] {0f, 1f})));
            assertThat(viaEvaluate.getFloat()).isCloseTo(1.0073375f, within(1e-6f));
        }
        // ∂L/∂r_c = −σ(−Δ) / 2 = (−σ(−1) / 2, −σ(1.5) / 2) = (−0.2689414 / 2, −0.8175745 / 2)
        float[][] grads = gradients(new BradleyTerryLoss(), new float[] {2f, 0f}, new float[] {0f, 1f},
                new float[] {1f, 0.5f});
        assertThat(grads[0]).containsExactly(new float[] {-0.1344707f, -0.4087872f}, within(1e-6f));
        assertThat(grads[1]).containsExactly(new float[] {0.1344707f, 0.4087872f}, within(1e-6f));
    }

    @Test
    void compute_centering_addsTheSquaredPairSumAndItsGradient() {
        // c = 0.1: (r_c + r_r)² = (2², 1²) → mean 2.5 → + 0.25: L = 0.7200948 + 0.25 = 0.9700948
        // ∂/∂r_c = (−σ(−Δ) + 2c(r_c + r_r)) / 2 = ((−0.1192029 + 0.4) / 2, (−0.7310586 + 0.2) / 2)
        //        = (0.1403985, −0.2655293)
        // ∂/∂r_r = ((0.1192029 + 0.4) / 2, (0.7310586 + 0.2) / 2) = (0.2596015, 0.4655293)
        BradleyTerryLoss loss = new BradleyTerryLoss(0.1);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(loss.compute(m.create(new float[] {2f, 0f}), m.create(new float[] {0f, 1f})).loss().getFloat())
                    .isCloseTo(0.9700948f, within(1e-6f));
        }
        float[][] grads = gradients(loss, new float[] {2f, 0f}, new float[] {0f, 1f}, null);
        assertThat(grads[0]).containsExactly(new float[] {0.1403985f, -0.2655293f}, within(1e-6f));
        assertThat(grads[1]).containsExactly(new float[] {0.2596015f, 0.4655293f}, within(1e-6f));
    }

    @Test
    void compute_extremeDifferences_stayFinite() {
        // Δ = −100: −log σ(−100) = softplus(100) = 100 (log σ underflows to −∞ in float32); Δ = 100: softplus(−100) ≈ 0
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wrong = new BradleyTerryLoss().compute(m.create(new float[] {-50f}), m.create(new float[] {50f}))
                    .loss();
            NDArray right = new BradleyTerryLoss().compute(m.create(new float[] {50f}), m.create(new float[] {-50f}))
                    .loss();
            assertThat(wrong.getFloat()).isCloseTo(100f, within(1e-4f));
            assertThat(right.getFloat()).isBetween(0f, 1e-30f);
        }
        // the gradient saturates at ∓1 per pair instead of becoming NaN
        float[][] grads = gradients(new BradleyTerryLoss(), new float[] {-50f}, new float[] {50f}, null);
        assertThat(grads[0]).containsExactly(-1f);
        assertThat(grads[1]).containsExactly(1f);
    }

    @Test
    void compute_badInput_isRefusedNamingTheField() {
        try (NDManager m = NDManager.newBaseManager()) {
            BradleyTerryLoss loss = new BradleyTerryLoss();
            assertThatThrownBy(() -> loss.compute(m.create(new float[] {1f, 2f}), m.create(new float[] {1f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rejected");
            assertThatThrownBy(() -> loss.compute(m.create(new float[] {1f}), m.create(new float[] {1f}),
                    m.create(new float[] {1f, 2f})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margins");
        }
        assertThatThrownBy(() -> new BradleyTerryLoss(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("centering");
    }

    @Test
    void pairwiseMetrics_handValues() {
        // d = (1, 0, −2): accuracy 1/3 (the tie is a miss); loss = (softplus(−1) + log 2 + softplus(2)) / 3
        //   = (0.3132617 + 0.6931472 + 2.1269280) / 3 = 1.0444456; margin = (1 + 0 − 2) / 3 = −1/3
        PairwiseMetrics metrics = PairwiseMetrics.of(new double[] {1, 0.5, 0}, new double[] {0, 0.5, 2});
        assertThat(metrics.pairs()).isEqualTo(3);
        assertThat(metrics.accuracy()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(metrics.loss()).isCloseTo(1.0444456, within(1e-6));
        assertThat(metrics.meanMargin()).isCloseTo(-1 / 3.0, within(1e-12));
        assertThatThrownBy(() -> PairwiseMetrics.of(new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no pairs");
    }

    /** {∂L/∂chosen, ∂L/∂rejected}. */
    private static float[][] gradients(BradleyTerryLoss loss, float[] chosen, float[] rejected, float[] margins) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray c = m.create(chosen);
            NDArray r = m.create(rejected);
            c.setRequiresGradient(true);
            r.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.compute(c, r, margins == null ? null : m.create(margins)).loss());
            }
            return new float[][] {c.getGradient().toFloatArray(), r.getGradient().toFloatArray()};
        }
    }
}
