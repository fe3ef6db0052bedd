package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.kafka.AvroCodec;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PreferencePair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CurateComparisons} in Flink's operator test harness: comparisons complete before the first annotator model
 * wait for it, closed to further events, and are decided by it; by majority vote only after the longest wait or with
 * {@code mv}.
 */
class CurateComparisonsTest {
    private static final Duration MAX_MODEL_WAIT = Duration.ofMinutes(2);
    private static final long POLL = CurateComparisons.MODEL_POLL.toMillis();
    private static final AnnotatorModelUpdate MODEL =
            AnnotatorModelUpdate.of(1, TestEvents.T0, 60, AnnotatorModelUpdateTest.model());

    private final AvroCodec<FeedbackEvent> codec = new AvroCodec<>(FeedbackEvent.class);
    private KeyedBroadcastOperatorTestHarness<String, ValidEvent, AnnotatorModelUpdate, PreferencePair> harness;

    @BeforeEach
    void start() throws Exception {
        harness = open("ds", null);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void completeBeforeTheFirstModel_waitsClosedToLaterEvents_andTheModelDecidesIt() throws Exception {
        completeComparison("c1");
        harness.setProcessingTime(POLL);
        assertThat(harness.extractOutputValues()).as("no model yet").isEmpty();

        send(vote("c1-late", "c1", "b", 4));
        harness.processBroadcastElement(MODEL, 0);
        assertThat(harness.extractOutputValues()).as("decided at the next poll").isEmpty();
        harness.setProcessingTime(2 * POLL);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.getAggregator()).isEqualTo("model-ds");
            assertThat(p.getModelVersion()).isEqualTo(1L);
            assertThat(p.getSourceEventIds()).containsExactly("c1-0", "c1-1", "c1-2");
        });
        harness.setProcessingTime(10 * POLL);
        assertThat(harness.extractOutputValues()).as("decided once").hasSize(1);
    }

    @Test
    void noModelWithinTheLongestWait_majorityVoteDecides() throws Exception {
        completeComparison("c1");

        harness.setProcessingTime(MAX_MODEL_WAIT.toMillis() - POLL);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(MAX_MODEL_WAIT.toMillis() + POLL);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.getAggregator()).isEqualTo("mv");
            assertThat(p.getModelVersion()).isNull();
        });
    }

    @Test
    void boundedInputEnds_theFinalModelDecidesAWaitingComparison_withoutAPoll() throws Exception {
        completeComparison("c1");
        harness.processBroadcastElement(MODEL, 0);

        harness.watermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(p -> assertThat(p.getAggregator()).isEqualTo("model-ds"));
    }

    @Test
    void onceTheModelIsIn_aComparisonIsDecidedAsItCompletes() throws Exception {
        harness.processBroadcastElement(MODEL, 0);

        completeComparison("c1");

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(p -> assertThat(p.getAggregator()).isEqualTo("model-ds"));
    }

    @Test
    void majorityVote_needsNoModel_andDecidesAtOnce() throws Exception {
        harness.close();
        harness = open("mv", null);

        completeComparison("c1");

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(p -> assertThat(p.getAggregator()).isEqualTo("mv"));
    }

    @Test
    void aWaitingComparison_survivesARestore_andIsDecidedByTheModelAfterIt() throws Exception {
        completeComparison("c1");
        OperatorSubtaskState snapshot = harness.snapshot(1, POLL);
        harness.close();

        harness = open("ds", snapshot);
        harness.processBroadcastElement(MODEL, 0);
        harness.setProcessingTime(POLL);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.getAggregator()).isEqualTo("model-ds");
            assertThat(p.getSourceEventIds()).hasSize(3);
        });
    }

    /**
     * State written by the code before events carried their origin (ValidEvent's first format): two votes of c1
     * waiting, with majority vote. {@code src/test/migration/make-format1-snapshot.sh} made it.
     */
    @Test
    void stateOfTheFormatWithoutOrigin_isRestored_andItsWaitingEventsAreDecided() throws Exception {
        harness.close();
        OperatorSubtaskState format1 = OperatorSnapshotUtil.readStateHandle(
                Path.of(getClass().getResource("/migration/curate-comparisons-format1.snapshot").toURI()).toString());
        harness = open("mv", format1);

        send(vote("c1-2", "c1", "b", 2));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.getAggregator()).isEqualTo("mv");
            assertThat(p.getSourceEventIds()).containsExactly("c1-0", "c1-1", "c1-2");
            assertThat(p.getChosenId()).isEqualTo("a");
        });
        // and the migrated state snapshots in the current format
        OperatorSubtaskState migrated = harness.snapshot(2, 0);
        harness.close();
        harness = open("mv", migrated);
        send(vote("c1-3", "c1", "a", 3));
        assertThat(harness.extractOutputValues()).as("c1 stays closed").isEmpty();
    }

    /** Three votes, two for response a: complete at {@code emitAfterVotes} = 3. */
    private void completeComparison(String comparisonId) throws Exception {
        for (int i = 0; i < 3; i++) {
            send(vote(comparisonId + "-" + i, comparisonId, i < 2 ? "a" : "b", i));
        }
    }

    private FeedbackEvent vote(String eventId, String comparisonId, String preferred, int second) {
        return TestEvents.choice(eventId, comparisonId, "Which city is the capital of France?", TestEvents.ab(),
                preferred, TestEvents.T0.plusSeconds(second));
    }

    private void send(FeedbackEvent event) throws Exception {
        // as dedupe passes it on: without its origin
        ValidEvent valid = ValidEvent.of(event, codec.encode(event), new ValidEvent.Origin("feedback", 0, 0, null))
                .withoutOrigin();
        harness.processElement(valid, event.getEventTime().toEpochMilli());
    }

    private static KeyedBroadcastOperatorTestHarness<String, ValidEvent, AnnotatorModelUpdate, PreferencePair> open(
            String aggregator, OperatorSubtaskState restored) throws Exception {
        CurateComparisons function = new CurateComparisons(aggregator, 3, Duration.ofMinutes(10), Duration.ofDays(1),
                0.5, MAX_MODEL_WAIT);
        KeyedBroadcastOperatorTestHarness<String, ValidEvent, AnnotatorModelUpdate, PreferencePair> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(function, List.of(CurateComparisons.MODEL)),
                        ValidEvent::comparisonId, Types.STRING, 1, 1, 0);
        h.setup();
        if (restored != null) {
            h.initializeState(restored);
        } else {
            h.initializeEmptyState();
        }
        h.open();
        return h;
    }
}
