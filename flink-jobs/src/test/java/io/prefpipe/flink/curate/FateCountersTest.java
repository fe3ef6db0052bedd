package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.snapshot.SnapshotManifest.Counts;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FateCountersTest {

    @Test
    void counts_readsOurAccumulatorsAndIgnoresOthers() {
        Map<String, Object> accumulators = Map.of(
                "prefpipe.events_in", 10L,
                "prefpipe.curated_events", 6L,
                "prefpipe.pairs", 4L,
                "prefpipe.filtered.tie", 2L,
                "prefpipe.filtered.late", 1L,
                "prefpipe.dead_lettered.invalid_avro", 1L,
                "some-other-accumulator", 99L);

        Counts c = FateCounters.counts(accumulators);

        assertThat(c).isEqualTo(new Counts(10, 6, 4, Map.of("tie", 2L, "late", 1L), Map.of("invalid_avro", 1L)));
        assertThat(c.reconciles()).isTrue();
    }

    @Test
    void counts_nothingCountedYet_isAllZero() {
        assertThat(FateCounters.counts(Map.of())).isEqualTo(new Counts(0, 0, 0, Map.of(), Map.of()));
    }
}
