package io.prefpipe.optimizer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class HingeLossTest {

    @Test
    void compute_insideAndBeyondTheMargin() {
        // β = 0.5; pair 1: h = 1, 1 − β·h = 0.5; pair 2: h = 4, 1 − 2 < 0 → 0; L = (0.5 + 0)/2 = 0.25
        // ∂L/∂log π_θ(y_w) = −β/B = −0.25 for pair 1 and 0 for pair 2, which is past the margin
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new HingeLoss(0.5), PairBatches.of(m, new float[] {-1f, 0f},
                    new float[] {-2f, -4f}, new float[] {-1f, 0f}, new float[] {-1f, 0f}));
            assertThat(r.loss()).isCloseTo(0.25, within(1e-6));
            assertThat(r.chosen()).containsExactly(new float[] {-0.25f, 0f}, within(1e-7f));
            assertThat(r.rejected()).containsExactly(new float[] {0.25f, 0f}, within(1e-7f));
        }
    }

    @Test
    void compute_hugeWrongMargin_staysFiniteAndLinear() {
        // β = 1, h = −10^4: L = 1 + 10^4; the gradient stays −β, it does not saturate as a sigmoid would
        try (NDManager m = NDManager.newBaseManager()) {
            PairBatches.Result r = PairBatches.run(new HingeLoss(1), PairBatches.of(m, new float[] {-1e4f},
                    new float[] {0f}, new float[] {0f}, new float[] {0f}));
            assertThat(r.loss()).isCloseTo(10001, within(1e-2));
            assertThat(r.chosen()[0]).isEqualTo(-1f);
        }
    }

    @Test
    void constructor_badBeta_isRefused() {
        assertThatThrownBy(() -> new HingeLoss(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }
}
