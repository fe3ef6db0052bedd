package io.prefpipe.ingestion.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.schema.Annotator;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FeedbackValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private final FeedbackValidator validator = new FeedbackValidator(
            new ValidationLimits(3, 100, 50, 20, Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));

    private static FeedbackEvent valid() {
        return FeedbackEvent.newBuilder()
                .setEventId("e1").setComparisonId("c1").setPrompt("How?")
                .setResponses(List.of(Response.newBuilder().setId("r1").setText("Like this.").build(),
                        Response.newBuilder().setId("r2").setText("No.").build()))
                .setJudgement(PairwiseChoice.newBuilder().setPreferred("r1").build())
                .setShownOrder(List.of("r2", "r1"))
                .setAnnotator(Annotator.newBuilder().setId("a1").setKind(AnnotatorKind.HUMAN).build())
                .setEventTime(NOW.minusSeconds(60))
                .build();
    }

    private Violation violation(Consumer<FeedbackEvent> edit) {
        FeedbackEvent e = valid();
        edit.accept(e);
        return validator.validate(e).orElseThrow(() -> new AssertionError("expected a violation"));
    }

    @Test
    void validate_validEvent_passes() {
        assertThat(validator.validate(valid())).isEmpty();
    }

    @Test
    void validate_preferredNotAResponse_namesTheField() {
        Violation v = violation(e -> e.setJudgement(PairwiseChoice.newBuilder().setPreferred("r9").build()));
        assertThat(v.reason()).isEqualTo(RejectReason.UNKNOWN_RESPONSE);
        assertThat(v.field()).isEqualTo("judgement.preferred");
        assertThat(v.message()).contains("r9");
    }

    @Test
    void validate_tieWithPreferred_isInvalidJudgement() {
        Violation v = violation(e -> e.setJudgement(PairwiseChoice.newBuilder().setPreferred("r1").setTie(true).build()));
        assertThat(v.reason()).isEqualTo(RejectReason.INVALID_JUDGEMENT);
    }

    @Test
    void validate_strengthOutsideUnitInterval_isInvalidValue() {
        Violation v = violation(e -> e.setJudgement(PairwiseChoice.newBuilder().setPreferred("r1").setStrength(1.5).build()));
        assertThat(v.reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(v.field()).isEqualTo("judgement.strength");
    }

    @Test
    void validate_responseLimits_areEnforced() {
        assertThat(violation(e -> e.setResponses(List.of(e.getResponses().get(0)))).reason())
                .isEqualTo(RejectReason.TOO_FEW_RESPONSES);
        Response r = Response.newBuilder().setId("r3").setText("x").build();
        Response s = Response.newBuilder().setId("r4").setText("y").build();
        assertThat(violation(e -> e.setResponses(List.of(e.getResponses().get(0), e.getResponses().get(1), r, s)))
                .reason()).isEqualTo(RejectReason.TOO_MANY_RESPONSES);
        Violation dup = violation(e -> e.setResponses(List.of(e.getResponses().get(0), e.getResponses().get(0))));
        assertThat(dup.reason()).isEqualTo(RejectReason.DUPLICATE_RESPONSE_ID);
        assertThat(dup.field()).isEqualTo("responses[1].id");
        Violation big = violation(e -> e.getResponses().get(1).setText("z".repeat(51)));
        assertThat(big.reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(big.field()).isEqualTo("responses[1].text");
    }

    @Test
    void validate_blankPromptAndIds_areReportedByField() {
        assertThat(violation(e -> e.setPrompt("  ")).reason()).isEqualTo(RejectReason.EMPTY_TEXT);
        assertThat(violation(e -> e.setEventId("")).field()).isEqualTo("event_id");
        assertThat(violation(e -> e.getAnnotator().setId(" ")).field()).isEqualTo("annotator.id");
    }

    @Test
    void validate_rankingMustBeAPermutation() {
        assertThat(violation(e -> e.setJudgement(new Ranking(List.of("r1")))).reason())
                .isEqualTo(RejectReason.INVALID_JUDGEMENT);
        assertThat(violation(e -> e.setJudgement(new Ranking(List.of("r1", "r1")))).field())
                .isEqualTo("judgement.order[1]");
        assertThat(validator.validate(withJudgement(new Ranking(List.of("r2", "r1"))))).isEmpty();
    }

    @Test
    void validate_ratingsMustBeFiniteAndKnown() {
        assertThat(violation(e -> e.setJudgement(new Ratings(Map.of("r1", 1.0, "r2", Double.NaN)))).field())
                .isEqualTo("judgement.scores.r2");
        assertThat(violation(e -> e.setJudgement(new Ratings(Map.of("r1", 1.0, "x", 2.0)))).reason())
                .isEqualTo(RejectReason.UNKNOWN_RESPONSE);
    }

    @Test
    void validate_eventTimeInTheFarFutureOrBefore1970_isRejected() {
        assertThat(violation(e -> e.setEventTime(NOW.plus(Duration.ofHours(2)))).reason())
                .isEqualTo(RejectReason.INVALID_TIMESTAMP);
        assertThat(violation(e -> e.setEventTime(Instant.ofEpochMilli(-5))).field()).isEqualTo("event_time");
    }

    @Test
    void validate_eventTimeBeyondTheRangeOfMilliseconds_isRejectedNotThrown() {
        // JSON can name years up to 999,999,999; their epoch milliseconds overflow a long
        for (Instant t : List.of(Instant.MAX, Instant.MIN, Instant.parse("+999999999-12-31T23:59:59Z"))) {
            Violation v = violation(e -> e.setEventTime(t));
            assertThat(v.reason()).isEqualTo(RejectReason.INVALID_TIMESTAMP);
            assertThat(v.field()).isEqualTo("event_time");
        }
        assertThat(violation(e -> e.setEventTime(Instant.EPOCH)).reason()).isEqualTo(RejectReason.INVALID_TIMESTAMP);
    }

    @Test
    void validate_shownOrderNamingUnknownResponse_isRejected() {
        Violation v = violation(e -> e.setShownOrder(List.of("r1", "zz")));
        assertThat(v.reason()).isEqualTo(RejectReason.UNKNOWN_RESPONSE);
        assertThat(v.field()).isEqualTo("shown_order[1]");
    }

    private static FeedbackEvent withJudgement(Object j) {
        FeedbackEvent e = valid();
        e.setJudgement(j);
        return e;
    }
}
