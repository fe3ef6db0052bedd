package io.prefpipe.flink.curate;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The time-to-live of the marks dedupe and curation keep per event id and per closed comparison: millions of small
 * entries, nearly all written once and never read again.
 *
 * <p>Expired marks are cleaned up incrementally: each access to the state visits the next entry of the state table.
 * Flink's default visits five, which on a table of a million marks costs more than the access itself (every visit is a
 * cache miss); one is enough to keep the table bounded, since a mark is added at most once per access, so the sweep
 * still passes every mark once per table's worth of accesses. Checkpoints write the table as it is (filtering
 * expired marks out of every full snapshot would cost a fifth of the snapshot's time); a restored job sweeps them
 * incrementally like any other.
 */
final class ExpiringMarks {
    private ExpiringMarks() {}

    /** Marks that expire {@code ttl} (processing time) after they were written. */
    static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .cleanupIncrementally(1, false)
                .build();
    }
}
