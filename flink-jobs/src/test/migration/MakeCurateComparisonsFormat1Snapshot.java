package io.prefpipe.flink.curate;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * Run by make-format1-snapshot.sh in a work tree of commit 67b86d5, the last whose ValidEvent had no origin: writes
 * the state of a curation operator (majority vote, complete at 3 votes) holding two votes of comparison c1.
 */
class MakeCurateComparisonsFormat1Snapshot {
    @Test
    void write() throws Exception {
        CurateComparisons function = new CurateComparisons("mv", 3, Duration.ofMinutes(10), Duration.ofDays(1), 0.5,
                Duration.ofMinutes(2));
        AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
        try (KeyedBroadcastOperatorTestHarness<String, ValidEvent, AnnotatorModelUpdate, PreferencePair> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(function, List.of(CurateComparisons.MODEL)),
                        ValidEvent::comparisonId, Types.STRING, 1, 1, 0)) {
            h.setup();
            h.initializeEmptyState();
            h.open();
            for (int i = 0; i < 2; i++) {
                FeedbackEvent e = TestEvents.choice("c1-" + i, "c1", "Which city is the capital of France?",
                        TestEvents.ab(), "a", TestEvents.T0.plusSeconds(i));
                h.processElement(ValidEvent.of(e, codec.encode(e)), e.getEventTime().toEpochMilli());
            }
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 0), System.getenv("FIXTURE_OUT"));
        }
    }
}
