package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Ranking;
import io.prefpipe.schema.Ratings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefpipeJsonParserTest {
    static final String EXAMPLE = """
            {"event_id": "e-1029", "comparison_id": "c-77", "prompt": "How do I reset my password?",
             "responses": [{"id": "r1", "text": "Open Settings, then ...", "policy_version": "v3"}, \
            {"id": "r2", "text": "I can't help with that."}],
             "judgement": {"type": "pairwise", "preferred": "r1", "strength": 0.8},
             "shown_order": ["r2", "r1"], "annotator": {"id": "ann-7", "kind": "HUMAN"}, \
            "event_time": "2026-11-28T10:00:00Z"}""".replace("\n", "");

    private final PrefpipeJsonParser parser = new PrefpipeJsonParser();

    private FeedbackEvent parsed(String json) {
        ParseResult r = parser.parse(json);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).event();
    }

    private Violation rejected(String json) {
        ParseResult r = parser.parse(json);
        assertThat(r).as("expected a rejection of %s", json).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) r).violation();
    }

    @Test
    void parse_documentedExample_givesEveryField() {
        FeedbackEvent e = parsed(EXAMPLE);
        assertThat(e.getEventId()).isEqualTo("e-1029");
        assertThat(e.getComparisonId()).isEqualTo("c-77");
        assertThat(e.getPrompt()).isEqualTo("How do I reset my password?");
        assertThat(e.getResponses()).hasSize(2);
        assertThat(e.getResponses().get(0).getPolicyVersion()).isEqualTo("v3");
        assertThat(e.getResponses().get(1).getPolicyVersion()).isNull();
        assertThat(e.getJudgement()).isEqualTo(PairwiseChoice.newBuilder().setPreferred("r1").setStrength(0.8).build());
        assertThat(e.getShownOrder()).containsExactly("r2", "r1");
        assertThat(e.getAnnotator().getId()).isEqualTo("ann-7");
        assertThat(e.getAnnotator().getKind()).isEqualTo(AnnotatorKind.HUMAN);
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(e.getMetadata()).isEmpty();
    }

    @Test
    void parse_rankingRatingsAndTie_giveTheirJudgements() {
        String base = EXAMPLE.replace("{\"type\": \"pairwise\", \"preferred\": \"r1\", \"strength\": 0.8}", "%s");
        assertThat(parsed(base.formatted("{\"type\": \"ranking\", \"order\": [\"r2\", \"r1\"]}")).getJudgement())
                .isEqualTo(new Ranking(List.of("r2", "r1")));
        assertThat(parsed(base.formatted("{\"type\": \"ratings\", \"scores\": {\"r1\": 4, \"r2\": 2.5}}"))
                .getJudgement()).isEqualTo(new Ratings(Map.of("r1", 4.0, "r2", 2.5)));
        assertThat(parsed(base.formatted("{\"type\": \"pairwise\", \"preferred\": null, \"tie\": true}"))
                .getJudgement()).isEqualTo(PairwiseChoice.newBuilder().setTie(true).build());
    }

    @Test
    void parse_missingComparisonId_isDerivedFromPromptAndSortedTexts() {
        String noId = EXAMPLE.replace("\"comparison_id\": \"c-77\", ", "");
        String swapped = noId.replace("{\"id\": \"r1\", \"text\": \"Open Settings, then ...\", \"policy_version\": "
                + "\"v3\"}, {\"id\": \"r2\", \"text\": \"I can't help with that.\"}",
                "{\"id\": \"r2\", \"text\": \"I can't help with that.\"}, {\"id\": \"r1\", \"text\": "
                        + "\"Open Settings, then ...\"}");
        String id = parsed(noId).getComparisonId();
        assertThat(id).startsWith("c-").hasSize(34)
                .isEqualTo(ContentIds.comparisonId("How do I reset my password?",
                        List.of("I can't help with that.", "Open Settings, then ...")));
        assertThat(parsed(swapped).getComparisonId()).isEqualTo(id);
        assertThat(parsed(noId.replace("reset", "change")).getComparisonId()).isNotEqualTo(id);
    }

    @Test
    void parse_timeWithOffsetAndMicros_isNormalisedToUtcMillis() {
        FeedbackEvent e = parsed(EXAMPLE.replace("2026-11-28T10:00:00Z", "2026-11-28T11:00:00.123456+01:00"));
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123Z"));
    }

    @Test
    void parse_nullOptionalFields_countAsAbsent() {
        FeedbackEvent e = parsed(EXAMPLE.replace("\"shown_order\": [\"r2\", \"r1\"]", "\"shown_order\": null, "
                + "\"metadata\": null"));
        assertThat(e.getShownOrder()).isEmpty();
        assertThat(e.getMetadata()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level field    | "prompt": "How do I reset my password?"  | "prompt": "x", "score": 1            | unknown_field     | score
            unknown response field     | "policy_version": "v3"                   | "model": "v3"                        | unknown_field     | responses[0].model
            unknown annotator field    | "kind": "HUMAN"}                         | "kind": "HUMAN", "name": "x"}        | unknown_field     | annotator.name
            field of another judgement | "strength": 0.8                          | "order": ["r1"]                      | unknown_field     | judgement.order
            number as event id         | "event_id": "e-1029"                     | "event_id": 1029                     | wrong_type        | event_id
            object as prompt           | "prompt": "How do I reset my password?"  | "prompt": {}                         | wrong_type        | prompt
            responses not an array     | "responses": [                           | "responses": {"a": [                 | invalid_json      |
            response not an object     | {"id": "r2", "text": "I can't help with that."} | "r2"                          | wrong_type        | responses[1]
            number as response text    | "text": "I can't help with that."        | "text": 42                           | wrong_type        | responses[1].text
            string as strength         | "strength": 0.8                          | "strength": "0.8"                    | wrong_type        | judgement.strength
            string as tie              | "strength": 0.8                          | "tie": "no"                          | wrong_type        | judgement.tie
            number in shown order      | "shown_order": ["r2", "r1"]              | "shown_order": ["r2", 1]             | wrong_type        | shown_order[1]
            unknown annotator kind     | "kind": "HUMAN"                          | "kind": "human"                      | invalid_value     | annotator.kind
            unknown judgement type     | "type": "pairwise"                       | "type": "best_of"                    | invalid_value     | judgement.type
            missing event id           | "event_id": "e-1029",                    | ''                                   | missing_field     | event_id
            null prompt                | "prompt": "How do I reset my password?"  | "prompt": null                       | missing_field     | prompt
            missing response text      | , "text": "I can't help with that."      | ''                                   | missing_field     | responses[1].text
            missing judgement type     | "type": "pairwise",                      | ''                                   | missing_field     | judgement.type
            missing annotator          | "annotator": {"id": "ann-7", "kind": "HUMAN"}, | ''                             | missing_field     | annotator
            date without time          | 2026-11-28T10:00:00Z                     | 2026-11-28                           | invalid_timestamp | event_time
            time without offset        | 2026-11-28T10:00:00Z                     | 2026-11-28T10:00:00                  | invalid_timestamp | event_time
            epoch millis as time       | "2026-11-28T10:00:00Z"                   | 1795860000000                        | wrong_type        | event_time
            number in metadata         | "shown_order"                            | "metadata": {"ui": 2}, "shown_order" | wrong_type        | metadata.ui
            """)
    void parse_badField_namesReasonAndField(String name, String from, String to, String reason, String field) {
        String json = EXAMPLE.replace(from, to);
        assertThat(json).as("the edit must change the example").isNotEqualTo(EXAMPLE);
        Violation v = rejected(json);
        assertThat(v.reason().code()).as(v.toString()).isEqualTo(reason);
        assertThat(v.field()).as(v.toString()).isEqualTo(field);
        if (field != null) {
            assertThat(v.message()).contains(field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json           | hello
            truncated          | {"event_id": "e-1
            duplicate key      | {"event_id": "a", "event_id": "b"}
            trailing content   | {"event_id": "a"} {"event_id": "b"}
            NaN literal        | {"judgement": {"strength": NaN}}
            """)
    void parse_malformedJson_isInvalidJson(String name, String json) {
        Violation v = rejected(json);
        assertThat(v.reason()).isEqualTo(RejectReason.INVALID_JSON);
        assertThat(v.field()).isNull();
    }

    @Test
    void parse_arrayLine_isWrongTypeOfTheWholeLine() {
        Violation v = rejected("[1, 2]");
        assertThat(v.reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(v.field()).isNull();
        assertThat(v.message()).contains("array");
    }

    @Test
    void parse_semanticallyInvalidEvent_isLeftToTheValidator() {
        FeedbackEvent e = parsed(EXAMPLE.replace("\"preferred\": \"r1\"", "\"preferred\": \"r9\""));
        assertThat(((PairwiseChoice) e.getJudgement()).getPreferred()).isEqualTo("r9");
    }

    @Test
    void fromId_knownAndUnknownIds() {
        assertThat(FeedbackFormat.fromId("hh-rlhf")).isEqualTo(FeedbackFormat.HH_RLHF);
        assertThat(FeedbackFormat.fromId("trl")).isEqualTo(FeedbackFormat.TRL);
        assertThat(FeedbackFormat.fromId("prefpipe").parser()).isInstanceOf(PrefpipeJsonParser.class);
        assertThatThrownBy(() -> FeedbackFormat.fromId("csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hh-rlhf, trl, prefpipe").hasMessageContaining("csv");
    }
}
