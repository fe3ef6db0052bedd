package io.prefpipe.optimizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
    @Test
    void nextBatch_onePass_coversEveryExampleOnce() {
        BatchSampler sampler = new BatchSampler(12, 4, 1);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            IntStream.of(sampler.nextBatch()).forEach(seen::add);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 12).boxed().toList());
        assertThat(seen).isNotEqualTo(IntStream.range(0, 12).boxed().toList());
    }

    @Test
    void nextBatch_sameSeed_sameOrder() {
        BatchSampler a = new BatchSampler(10, 3, 7);
        BatchSampler b = new BatchSampler(10, 3, 7);
        for (int i = 0; i < 8; i++) {
            assertThat(a.nextBatch()).containsExactly(b.nextBatch());
        }
    }

    @Test
    void skipTo_positionOfAnother_continuesWithItsBatches() {
        BatchSampler original = new BatchSampler(7, 3, 9);
        for (int i = 0; i < 4; i++) {
            original.nextBatch();
        }
        assertThat(original.position()).isEqualTo(12);
        BatchSampler resumed = new BatchSampler(7, 3, 9);
        resumed.skipTo(original.position());
        for (int i = 0; i < 5; i++) {
            assertThat(resumed.nextBatch()).containsExactly(original.nextBatch());
        }
        assertThatThrownBy(() -> resumed.skipTo(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position");
    }

    @Test
    void nextBatch_moreThanTheData_shrinksToTheData() {
        assertThat(new BatchSampler(3, 8, 1).nextBatch()).hasSize(3).containsExactlyInAnyOrder(0, 1, 2);
    }
}
