package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Ratings;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatingsParserTest {
    private static final LineContext CONTEXT = new LineContext("scores.jsonl", 5, Instant.parse("2026-11-28T10:00:00Z"));

    private final RatingsParser parser = new RatingsParser();

    private FeedbackEvent parsed(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Parsed.class);
        FeedbackEvent e = ((ParseResult.Parsed) r).event();
        assertThat(FeedbackValidator.withDefaults().validate(e)).as(line).isEmpty();
        return e;
    }

    @Test
    void parse_scoresBecomeRatingsByResponseId() {
        FeedbackEvent e = parsed("{\"prompt\": \"p\", \"responses\": [\"b\", \"a\"], \"scores\": [-1.5, 4]}");
        assertThat(((Ratings) e.getJudgement()).getScores())
                .containsExactlyInAnyOrderEntriesOf(Map.of("r1", 4.0, "r2", -1.5));
        assertThat(e.getAnnotator().getId()).isEqualTo("ratings");
        assertThat(e.getEventId()).startsWith("rate-");
        assertThat(e.getMetadata()).doesNotContainKeys("scale_min", "scale_max");
    }

    @Test
    void parse_scale_bordersAreInsideAndRecorded() {
        FeedbackEvent e = parsed("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"scores\": [1, 10],"
                + " \"scale\": {\"min\": 1, \"max\": 10}}");
        assertThat(e.getMetadata()).containsEntry("scale_min", "1").containsEntry("scale_max", "10");
    }

    @Test
    void parse_otherScores_otherEvent_sameComparison() {
        FeedbackEvent a = parsed("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"scores\": [1, 2]}");
        FeedbackEvent b = parsed("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"scores\": [2, 1]}");
        assertThat(b.getEventId()).isNotEqualTo(a.getEventId());
        assertThat(b.getComparisonId()).isEqualTo(a.getComparisonId());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no scores         | {"prompt": "p", "responses": ["a", "b"]}                                          | missing_field | scores
            infinite score    | {"prompt": "p", "responses": ["a", "b"], "scores": [1, 1e999]}                    | invalid_value | scores[1]
            null score        | {"prompt": "p", "responses": ["a", "b"], "scores": [1, null]}                     | wrong_type    | scores[1]
            below the scale   | {"prompt": "p", "responses": ["a", "b"], "scores": [0, 3], "scale": {"min": 1, "max": 5}} | invalid_value | scores[0]
            scale not object  | {"prompt": "p", "responses": ["a", "b"], "scores": [1, 3], "scale": [1, 5]}       | wrong_type    | scale
            scale without max | {"prompt": "p", "responses": ["a", "b"], "scores": [1, 3], "scale": {"min": 1}}   | missing_field | scale.max
            scale extra field | {"prompt": "p", "responses": ["a", "b"], "scores": [1, 3], "scale": {"min": 1, "max": 5, "step": 1}} | unknown_field | scale.step
            duplicate text    | {"prompt": "p", "responses": ["a", "a"], "scores": [1, 3]}                        | invalid_value | responses[1]
            no prompt         | {"responses": ["a", "b"], "scores": [1, 3]}                                       | missing_field | prompt
            """)
    void parse_badLine_namesReasonAndField(String name, String line, String reason, String field) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Rejected.class);
        Violation v = ((ParseResult.Rejected) r).violation();
        assertThat(v.reason().code()).as(v.toString()).isEqualTo(reason);
        assertThat(v.field()).as(v.toString()).isEqualTo(field);
    }
}
