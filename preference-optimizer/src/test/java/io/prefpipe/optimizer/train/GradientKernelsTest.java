package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientKernelsTest {

    @Test
    void clipGlobalNorm_aboveTheLimit_scalesEveryGradientByTheSameFactor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {3f, 4f});
            NDArray b = manager.create(new float[] {12f});
            // ‖(3, 4, 12)‖ = 13
            double norm = GradientKernels.clipGlobalNorm(List.of(a, b), 6.5);
            assertThat(norm).isCloseTo(13, within(1e-5));
            double scale = 6.5 / (13 + 1e-6);
            assertThat(a.toFloatArray()).containsExactly(new float[] {(float) (3 * scale), (float) (4 * scale)},
                    within(1e-6f));
            assertThat(b.getFloat(0)).isCloseTo((float) (12 * scale), within(1e-6f));
        }
    }

    @Test
    void clipGlobalNorm_withinTheLimitOrUnset_leavesTheGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {3f, -4f});
            assertThat(GradientKernels.clipGlobalNorm(List.of(a), 5.5)).isCloseTo(5, within(1e-6));
            assertThat(GradientKernels.clipGlobalNorm(List.of(a), 0)).isCloseTo(5, within(1e-6));
            assertThat(a.toFloatArray()).containsExactly(3f, -4f);
        }
    }

    @Test
    void clipGlobalNorm_nonFinite_isReportedAndNothingIsScaled() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {Float.NaN, 1f});
            assertThat(GradientKernels.clipGlobalNorm(List.of(a), 1)).isNaN();
            assertThat(a.getFloat(1)).isEqualTo(1f);
        }
    }

    @Test
    void adamw_zeroesTheParametersGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1f, 2f});
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(weight.square().sum());
            }
            NDArray gradient = weight.getGradient();
            assertThat(gradient.toFloatArray()).containsExactly(2f, 4f);
            try (NDArray first = weight.zerosLike(); NDArray second = weight.zerosLike()) {
                GradientKernels.adamw(List.of(weight), List.of(gradient), List.of(first), List.of(second), 1, 0.1,
                        0.9, 0.999, 0, 1e-8);
                // the first step moves each weight by the learning rate against its gradient's sign
                assertThat(weight.toFloatArray()).containsExactly(new float[] {0.9f, 1.9f}, within(1e-6f));
                assertThat(first.toFloatArray()).containsExactly(new float[] {0.2f, 0.4f}, within(1e-6f));
            }
            assertThat(weight.getGradient().toFloatArray()).containsExactly(0f, 0f);
        }
    }
}
