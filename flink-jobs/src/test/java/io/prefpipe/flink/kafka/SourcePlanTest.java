package io.prefpipe.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SourcePlanTest {
    private final SourcePlan plan = new SourcePlan(List.of("feedback"), (short) 1,
            List.of(new OffsetRange("feedback", 0, 5, 10), new OffsetRange("feedback", 1, 0, 0)));

    @Test
    void offsets_mapEachPartitionToItsRangeEnds() {
        assertThat(plan.startOffsets()).isEqualTo(Map.of(
                new TopicPartition("feedback", 0), 5L, new TopicPartition("feedback", 1), 0L));
        assertThat(plan.endOffsets()).isEqualTo(Map.of(
                new TopicPartition("feedback", 0), 10L, new TopicPartition("feedback", 1), 0L));
    }

    @Test
    void offsetsCovered_sumsTheRanges() {
        assertThat(plan.partitions()).isEqualTo(2);
        assertThat(plan.offsetsCovered()).isEqualTo(5);
    }
}
