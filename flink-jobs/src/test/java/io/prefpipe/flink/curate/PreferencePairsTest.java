package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.labeling.curate.Comparison;
import io.prefpipe.labeling.curate.CuratedPair;
import io.prefpipe.labeling.curate.ResponseText;
import io.prefpipe.schema.PreferencePair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferencePairsTest {
    private static final ResponseText A = new ResponseText("a", "text a", "p1");
    private static final ResponseText B = new ResponseText("b", "text b", null);
    private static final CuratedPair PAIR = new CuratedPair("id-1", new Comparison("c1", "prompt", List.of(A, B)), B,
            A, 0.8, 5, 0.6, "mv", List.of("e1", "e3"));

    @Test
    void toAvro_copiesEveryFieldAndTakesTheLatestSourceEventTime() {
        Map<String, Instant> times = Map.of(
                "e1", Instant.parse("2025-01-01T00:00:05Z"),
                "e2", Instant.parse("2025-01-01T00:09:00Z"),
                "e3", Instant.parse("2025-01-01T00:00:07Z"));

        PreferencePair p = PreferencePairs.toAvro(PAIR, times);

        assertThat(p.getPairId()).isEqualTo("id-1");
        assertThat(p.getComparisonId()).isEqualTo("c1");
        assertThat(p.getPrompt()).isEqualTo("prompt");
        assertThat(p.getChosenId()).isEqualTo("b");
        assertThat(p.getChosen()).isEqualTo("text b");
        assertThat(p.getChosenPolicyVersion()).isNull();
        assertThat(p.getRejectedId()).isEqualTo("a");
        assertThat(p.getRejected()).isEqualTo("text a");
        assertThat(p.getRejectedPolicyVersion()).isEqualTo("p1");
        assertThat(p.getPChosen()).isEqualTo(0.8);
        assertThat(p.getVoteCount()).isEqualTo(5);
        assertThat(p.getAgreement()).isEqualTo(0.6);
        assertThat(p.getAggregator()).isEqualTo("mv");
        assertThat(p.getSourceEventIds()).containsExactly("e1", "e3");
        // e2 is in the comparison but did not vote on this pair
        assertThat(p.getLastEventTime()).isEqualTo(Instant.parse("2025-01-01T00:00:07Z"));
    }

    @Test
    void toAvro_missingSourceEventTime_namesTheEvent() {
        assertThatThrownBy(() -> PreferencePairs.toAvro(PAIR, Map.of("e1", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e3");
    }
}
