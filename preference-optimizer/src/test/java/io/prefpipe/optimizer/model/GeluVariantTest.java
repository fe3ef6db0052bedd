package io.prefpipe.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GeluVariantTest {
    private static final float[] X = {1, -2, 0.5f};

    @Test
    void erf_isTheExactGelu() {
        // 0.5 x (1 + erf(x / √2)): 0.8413447461, -0.0455002639, 0.3457312306
        assertThat(apply(GeluVariant.ERF)).containsExactly(new float[] {0.8413447f, -0.0455003f, 0.3457312f},
                within(1e-6f));
    }

    @Test
    void tanh_isGpt2sApproximation() {
        // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))): 0.8411919906, -0.0454023059, 0.3457140098;
        // 1.5e-4 and 9.8e-5 away from the exact values at x = 1 and -2, far beyond the tolerance
        assertThat(apply(GeluVariant.TANH)).containsExactly(new float[] {0.8411920f, -0.0454023f, 0.3457140f},
                within(1e-6f));
    }

    @Test
    void tanh_backpropagatesTheApproximationsDerivative() {
        double a = Math.sqrt(2 / Math.PI);
        float[] expected = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            double x = X[i];
            double t = Math.tanh(a * (x + 0.044715 * x * x * x));
            expected[i] = (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * a * (1 + 3 * 0.044715 * x * x));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(GeluVariant.TANH.apply(x).sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(expected, within(1e-6f));
        }
    }

    private static float[] apply(GeluVariant gelu) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return gelu.apply(manager.create(X)).toFloatArray();
        }
    }
}
