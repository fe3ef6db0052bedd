package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankingParserTest {
    private static final LineContext CONTEXT = new LineContext("ranks.jsonl", 2, Instant.parse("2026-11-28T10:00:00Z"));

    private final RankingParser parser = new RankingParser();

    private FeedbackEvent parsed(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Parsed.class);
        FeedbackEvent e = ((ParseResult.Parsed) r).event();
        assertThat(FeedbackValidator.withDefaults().validate(e)).as(line).isEmpty();
        return e;
    }

    @Test
    void parse_noTies_isARankingOfIdsBestFirst_withResponsesInTextOrder() {
        FeedbackEvent e = parsed("{\"prompt\": \"p\", \"responses\": [\"c\", \"a\", \"b\"], \"ranks\": [1, 3, 2]}");
        assertThat(e.getResponses()).extracting(Response::getId, Response::getText)
                .containsExactly(tuple("r1", "a"), tuple("r2", "b"), tuple("r3", "c"));
        assertThat(((Ranking) e.getJudgement()).getOrder()).containsExactly("r3", "r2", "r1");
        assertThat(e.getAnnotator().getId()).isEqualTo("ranking");
        assertThat(e.getEventId()).startsWith("rank-");
        assertThat(e.getMetadata()).containsEntry("source_file", "ranks.jsonl").containsEntry("source_line", "2");
    }

    @Test
    void parse_ties_areEqualScoresOfKPlusOneMinusRank() {
        FeedbackEvent e = parsed("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\", \"c\"], \"ranks\": [3, 1, 1]}");
        assertThat(((Ratings) e.getJudgement()).getScores())
                .containsExactlyInAnyOrderEntriesOf(Map.of("r1", 1.0, "r2", 3.0, "r3", 3.0));
    }

    @Test
    void parse_sameListInAnotherOrder_isTheSameEventAndComparison() {
        FeedbackEvent a = parsed("{\"prompt\": \"p\", \"responses\": [\"x\", \"y\", \"z\"], \"ranks\": [2, 1, 3]}");
        FeedbackEvent b = parsed("{\"prompt\": \"p\", \"responses\": [\"z\", \"y\", \"x\"], \"ranks\": [3, 1, 2]}");
        assertThat(b.getEventId()).isEqualTo(a.getEventId());
        assertThat(b.getComparisonId()).isEqualTo(a.getComparisonId());
        assertThat(b.getJudgement()).isEqualTo(a.getJudgement());
        FeedbackEvent other = parsed("{\"prompt\": \"p\", \"responses\": [\"x\", \"y\", \"z\"], \"ranks\": [1, 2, 3]}");
        assertThat(other.getEventId()).isNotEqualTo(a.getEventId());
        assertThat(other.getComparisonId()).isEqualTo(a.getComparisonId());
        FeedbackEvent byAnother = parsed("{\"prompt\": \"p\", \"responses\": [\"x\", \"y\", \"z\"], \"ranks\": [2, 1, 3],"
                + " \"annotator\": \"ann-2\"}");
        assertThat(byAnother.getEventId()).isNotEqualTo(a.getEventId());
        assertThat(byAnother.getAnnotator().getId()).isEqualTo("ann-2");
    }

    @Test
    void fromId_rankingAndRatings_haveTheirParsers() {
        assertThat(FeedbackFormat.fromId("ranking").parser()).isInstanceOf(RankingParser.class);
        assertThat(FeedbackFormat.fromId("ratings").parser()).isInstanceOf(RatingsParser.class);
    }

    @Test
    void parse_wholeNumberWrittenAsDecimal_isARank() {
        assertThat(parsed("{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"ranks\": [2.0, 1]}").getJudgement())
                .isEqualTo(new Ranking(List.of("r2", "r1")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no ranks           | {"prompt": "p", "responses": ["a", "b"]}                                  | missing_field     | ranks
            ranks not a list   | {"prompt": "p", "responses": ["a", "b"], "ranks": "1,2"}                  | wrong_type        | ranks
            too many ranks     | {"prompt": "p", "responses": ["a", "b"], "ranks": [1, 2, 3]}              | invalid_value     | ranks
            rank as string     | {"prompt": "p", "responses": ["a", "b"], "ranks": ["1", 2]}               | wrong_type        | ranks[0]
            negative rank      | {"prompt": "p", "responses": ["a", "b"], "ranks": [1, -2]}                | invalid_value     | ranks[1]
            huge rank          | {"prompt": "p", "responses": ["a", "b"], "ranks": [1, 99999999999]}       | invalid_value     | ranks[1]
            response not text  | {"prompt": "p", "responses": ["a", 2], "ranks": [1, 2]}                   | wrong_type        | responses[1]
            blank prompt       | {"prompt": " ", "responses": ["a", "b"], "ranks": [1, 2]}                 | empty_text        | prompt
            blank annotator    | {"prompt": "p", "responses": ["a", "b"], "ranks": [1, 2], "annotator": ""} | missing_field    | annotator
            structured extra   | {"prompt": "p", "responses": ["a", "b"], "ranks": [1, 2], "meta": {}}     | unknown_field     | meta
            no responses       | {"prompt": "p", "responses": [], "ranks": []}                             | too_few_responses | responses
            """)
    void parse_badLine_namesReasonAndField(String name, String line, String reason, String field) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Rejected.class);
        Violation v = ((ParseResult.Rejected) r).violation();
        assertThat(v.reason().code()).as(v.toString()).isEqualTo(reason);
        assertThat(v.field()).as(v.toString()).isEqualTo(field);
        assertThat(v.message()).as(v.toString()).contains(field);
    }
}
