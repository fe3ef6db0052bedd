package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /**
     * Two steps of a scalar θ₀ = 1 with η = 0.1, λ = 0.01, β = (0.9, 0.999), ε = 0.01 and gradients 0.5 then −0.2, by
     * hand after torch.optim.AdamW:
     *
     * <pre>
     * t=1: θ = 1·(1 − 0.001) = 0.999;  m = 0.05, v = 0.00025;  m̂ = 0.5, √v̂ = 0.5
     *      θ = 0.999 − 0.1 · 0.5 / (0.5 + 0.01) = 0.9009607843
     * t=2: θ = 0.9009607843·0.999 = 0.9000598235;  m = 0.025, v = 0.00028975
     *      m̂ = 0.025 / 0.19 = 0.1315789474,  √v̂ = √(0.00028975 / 0.001999) = 0.3807197
     *      θ = 0.9000598235 − 0.1 · 0.1315789474 / (0.3807197 + 0.01) = 0.8663837753
     * </pre>
     *
     * ε this large tells PyTorch's update apart from adding ε before the bias correction (DJL's AdamW, which gives
     * 0.9377 after the first step).
     */
    @Test
    void step_scalar_matchesTorchAdamWByHand() {
        try (NDManager manager = NDManager.newBaseManager(); AdamW adamW = new AdamW(0.9, 0.999, 0.01, 0.01)) {
            NDArray theta = manager.create(new float[] {1f});
            adamW.step(0.1, Map.of("theta", theta), Map.of("theta", manager.create(new float[] {0.5f})));
            assertThat(theta.getFloat(0)).isCloseTo(0.9009607843f, within(1e-6f));
            adamW.step(0.1, Map.of("theta", theta), Map.of("theta", manager.create(new float[] {-0.2f})));
            assertThat(theta.getFloat(0)).isCloseTo(0.8663837753f, within(1e-6f));
            assertThat(adamW.steps()).isEqualTo(2);
        }
    }

    @Test
    void step_defaultEpsilon_movesByTheLearningRateAtFirst() {
        // at t = 1 Adam's step is η·g/|g| whatever the gradient's scale
        try (NDManager manager = NDManager.newBaseManager()) {
            for (float gradient : new float[] {1e-3f, 3f, -40f}) {
                try (AdamW adamW = AdamW.of(TrainingConfig.defaults())) {
                    NDArray theta = manager.create(new float[] {2f});
                    adamW.step(0.05, Map.of("w", theta), Map.of("w", manager.create(new float[] {gradient})));
                    assertThat(theta.getFloat(0)).isCloseTo(2f - 0.05f * Math.signum(gradient), within(1e-5f));
                }
            }
        }
    }

    @Test
    void saveThenLoad_continuesExactlyAsWithoutInterruption() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                AdamW uninterrupted = new AdamW(0.8, 0.99, 1e-8, 0.1);
                AdamW resumed = new AdamW(0.8, 0.99, 1e-8, 0.1)) {
            NDArray a = manager.create(new float[] {0.3f, -1.2f, 2f});
            float[][] gradients = {{0.1f, -0.4f, 2f}, {-0.3f, 0.2f, 0.7f}, {0.05f, 0.05f, -1f}};
            uninterrupted.step(0.01, Map.of("a", a), Map.of("a", manager.create(gradients[0])));
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            uninterrupted.save(saved);
            NDArray b = a.duplicate();
            for (int t = 1; t < 3; t++) {
                uninterrupted.step(0.01, Map.of("a", a), Map.of("a", manager.create(gradients[t])));
            }

            resumed.load(new ByteArrayInputStream(saved.toByteArray()), Map.of("a", b));
            assertThat(resumed.steps()).isEqualTo(1);
            for (int t = 1; t < 3; t++) {
                resumed.step(0.01, Map.of("a", b), Map.of("a", manager.create(gradients[t])));
            }
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
            assertThat(resumed.steps()).isEqualTo(3);
        }
    }

    @Test
    void load_otherHyperparametersOrParameters_isRefused() throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); AdamW adamW = new AdamW(0.9, 0.999, 1e-8, 0)) {
            NDArray a = manager.create(new float[] {1f, 2f});
            adamW.step(0.1, Map.of("a", a), Map.of("a", manager.create(new float[] {1f, 1f})));
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            adamW.save(saved);
            byte[] bytes = saved.toByteArray();
            try (AdamW otherDecay = new AdamW(0.9, 0.999, 1e-8, 0.5); AdamW same = new AdamW(0.9, 0.999, 1e-8, 0)) {
                assertThatThrownBy(() -> otherDecay.load(new ByteArrayInputStream(bytes), Map.of("a", a)))
                        .isInstanceOf(IOException.class).hasMessageContaining("weightDecay");
                assertThatThrownBy(() -> same.load(new ByteArrayInputStream(bytes), Map.of("b", a)))
                        .isInstanceOf(IOException.class).hasMessageContaining("parameter a");
                assertThatThrownBy(() -> same.load(new ByteArrayInputStream(bytes),
                        Map.of("a", manager.create(new float[] {1f, 2f, 3f}))))
                        .isInstanceOf(IOException.class).hasMessageContaining("shape");
                assertThat(same.steps()).isZero();
            }
            assertThatThrownBy(() -> adamW.step(0.1, Map.of("b", a), Map.of("b", a)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a]");
        }
    }

    @Test
    void constructor_outOfRange_namesTheHyperparameter() {
        assertThatThrownBy(() -> new AdamW(1, 0.999, 1e-8, 0)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new AdamW(0.9, -0.1, 1e-8, 0)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new AdamW(0.9, 0.999, 0, 0)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new AdamW(0.9, 0.999, 1e-8, Double.NaN)).hasMessageContaining("weightDecay");
    }
}
