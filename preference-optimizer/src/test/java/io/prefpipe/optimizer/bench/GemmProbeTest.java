package io.prefpipe.optimizer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GemmProbeTest {
    @Test
    void ratesProductsOfTheMatricesItMadeOnce() {
        try (GemmProbe probe = new GemmProbe(64)) {
            assertThat(probe.size()).isEqualTo(64);
            assertThat(probe.flopsPerProduct()).isEqualTo(2.0 * 64 * 64 * 64);
            double one = probe.flopsPerSecond(1);
            // any real CPU does a 64³ fp32 product at well over 10 MFLOP/s and well under 100 TFLOP/s
            assertThat(one).isBetween(1e7, 1e14);
            assertThat(probe.flopsPerSecond(5)).isBetween(1e7, 1e14);
        }
    }

    @Test
    void refusesEmptySizesAndRuns() {
        assertThatThrownBy(() -> new GemmProbe(0)).hasMessageContaining("n must be >= 1");
        try (GemmProbe probe = new GemmProbe(8)) {
            assertThatThrownBy(() -> probe.flopsPerSecond(0)).hasMessageContaining("runs must be >= 1");
        }
    }
}
