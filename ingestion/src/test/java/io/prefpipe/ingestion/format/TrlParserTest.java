package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrlParserTest {
    private static final LineContext CONTEXT = new LineContext("prefs.jsonl", 3, Instant.parse("2026-11-28T10:00:00Z"));
    private static final String CONVERSATIONAL = "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
            + " {\"role\": \"user\", \"content\": \" What colour is the sky? \"}],"
            + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Blue.\"}],"
            + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Green.\"},"
            + " {\"role\": \"assistant\", \"content\": \"Or red.\"}]}";

    private final TrlParser parser = new TrlParser();

    private FeedbackEvent parsed(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).event();
    }

    private Violation rejected(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) r).violation();
    }

    @Test
    void parse_standard_takesTheStringsAsTheyAre() {
        FeedbackEvent e = parsed("{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\", \"id\": 12,"
                + " \"score_chosen\": 8.5, \"source\": null}");
        assertThat(e.getPrompt()).isEqualTo("2+2?");
        assertThat(e.getResponses()).extracting(r -> r.getText()).containsExactly("4", "5");
        assertThat(((PairwiseChoice) e.getJudgement()).getPreferred()).isEqualTo("r1");
        assertThat(e.getEventId()).startsWith("trl-");
        assertThat(e.getAnnotator().getId()).isEqualTo("trl");
        assertThat(e.getMetadata()).containsEntry("trl.id", "12").containsEntry("trl.score_chosen", "8.5")
                .containsEntry("source_line", "3").doesNotContainKey("trl.source");
        assertThat(FeedbackValidator.withDefaults().validate(e)).isEmpty();
    }

    @Test
    void parse_conversational_rendersTheTranscript() {
        FeedbackEvent e = parsed(CONVERSATIONAL);
        assertThat(e.getPrompt()).isEqualTo("System: Be brief.\n\nHuman: What colour is the sky?");
        assertThat(e.getResponses()).extracting(r -> r.getText()).containsExactly("Blue.", "Green.\n\nOr red.");
        assertThat(((PairwiseChoice) e.getJudgement()).getPreferred()).isEqualTo("r1");
    }

    @Test
    void parse_conversationalImplicitPrompt_takesTheSharedLeadingMessagesAsThePrompt() {
        FeedbackEvent e = parsed("{\"chosen\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"What colour is the sky?\"},"
                + " {\"role\": \"assistant\", \"content\": \"Blue.\"}],"
                + " \"rejected\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"What colour is the sky?\"},"
                + " {\"role\": \"assistant\", \"content\": \"Green.\"}, {\"role\": \"assistant\", \"content\": \"Or red.\"}]}");
        FeedbackEvent explicit = parsed(CONVERSATIONAL);
        assertThat(e.getPrompt()).isEqualTo(explicit.getPrompt());
        assertThat(e.getResponses()).isEqualTo(explicit.getResponses());
        assertThat(e.getJudgement()).isEqualTo(explicit.getJudgement());
        assertThat(e.getEventId()).isEqualTo(explicit.getEventId());
        assertThat(FeedbackValidator.withDefaults().validate(e)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            implicit prompt       | {"chosen": "a", "rejected": "b"}                                   | missing_field | prompt
            list reply to string  | {"prompt": "p", "chosen": [], "rejected": "b"}                     | wrong_type    | chosen
            string reply to list  | {"prompt": [], "chosen": "a", "rejected": []}                      | wrong_type    | chosen
            empty reply           | {"prompt": "p", "chosen": " ", "rejected": "b"}                    | empty_text    | chosen
            no reply messages     | {"prompt": [{"role": "user", "content": "p"}], "chosen": [], "rejected": [{"role": "assistant", "content": "b"}]} | empty_text | chosen
            empty prompt list     | {"prompt": [], "chosen": [], "rejected": []}                       | empty_text    | prompt
            unknown role          | {"prompt": [{"role": "tool", "content": "p"}], "chosen": [], "rejected": []} | invalid_value | prompt[0].role
            user turn in reply    | {"prompt": [{"role": "user", "content": "p"}], "chosen": [{"role": "user", "content": "a"}], "rejected": []} | invalid_value | chosen[0].role
            extra message field   | {"prompt": [{"role": "user", "content": "p", "name": "x"}], "chosen": [], "rejected": []} | unknown_field | prompt[0].name
            content not a string  | {"prompt": [{"role": "user", "content": ["p"]}], "chosen": [], "rejected": []} | wrong_type | prompt[0].content
            structured extra      | {"prompt": "p", "chosen": "a", "rejected": "b", "messages": []}   | unknown_field | messages
            not json              | prompt=p                                                           | invalid_json  |
            implicit, one list    | {"chosen": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}], "rejected": "b"} | missing_field | prompt
            implicit, no shared   | {"chosen": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "b"}]} | missing_field | prompt
            implicit, same        | {"chosen": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}]} | empty_text | chosen
            implicit, a prefix    | {"chosen": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "user", "content": "p"}]} | empty_text | rejected
            implicit, user after  | {"chosen": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "a"}, {"role": "user", "content": "more"}], "rejected": [{"role": "user", "content": "p"}, {"role": "assistant", "content": "b"}]} | invalid_value | chosen[2].role
            implicit, tool prompt | {"chosen": [{"role": "tool", "content": "p"}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "tool", "content": "p"}, {"role": "assistant", "content": "b"}]} | invalid_value | chosen[0].role
            """)
    void parse_badLine_namesReasonAndField(String name, String line, String reason, String field) {
        Violation v = rejected(line);
        assertThat(v.reason().code()).as(v.toString()).isEqualTo(reason);
        assertThat(v.field()).as(v.toString()).isEqualTo(field);
    }

    @Test
    void parse_sameContent_sameIds() {
        assertThat(parsed(CONVERSATIONAL).getEventId())
                .isEqualTo(((ParseResult.Parsed) parser.parse(CONVERSATIONAL, new LineContext("x", 1,
                        Instant.EPOCH.plusSeconds(1)))).event().getEventId());
        assertThat(rejected("{\"prompt\": \"p\", \"chosen\": \"a\"}").reason()).isEqualTo(RejectReason.MISSING_FIELD);
    }
}
