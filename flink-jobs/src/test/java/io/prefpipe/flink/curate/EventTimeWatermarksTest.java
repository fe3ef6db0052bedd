package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    @Test
    void onEvent_newMaximum_emitsMaximumMinusOutOfOrdernessMinusOne() {
        EventTimeWatermarks w = new EventTimeWatermarks(Duration.ofMillis(100));

        w.onEvent(null, 1_000, output);
        w.onEvent(null, 900, output);
        w.onEvent(null, 1_000, output);
        w.onEvent(null, 5_000, output);

        assertThat(emitted).containsExactly(899L, 4_899L);
    }

    @Test
    void onPeriodicEmit_emitsNothing() {
        EventTimeWatermarks w = new EventTimeWatermarks(Duration.ZERO);
        w.onEvent(null, 10, output);

        w.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(9L);
    }
}
