package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.ingestion.validate.FeedbackValidator;
import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import io.prefpipe.schema.AnnotatorKind;
import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HhRlhfParserTest {
    private static final Instant TIME = Instant.parse("2026-11-28T10:00:00Z");
    private static final LineContext CONTEXT = new LineContext("hh.jsonl.gz", 17, TIME);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HhRlhfParser parser = new HhRlhfParser();

    private static String line(String chosen, String rejected) throws Exception {
        return JSON.writeValueAsString(Map.of("chosen", chosen, "rejected", rejected));
    }

    private FeedbackEvent parsed(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).event();
    }

    private Violation rejected(String line) {
        ParseResult r = parser.parse(line, CONTEXT);
        assertThat(r).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) r).violation();
    }

    @Test
    void parse_multiTurnDialogue_splitsAtTheLastAssistantTurn() throws Exception {
        String prefix = "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: How do I bake bread?";
        FeedbackEvent e = parsed(line(prefix + "\n\nAssistant: Knead the dough.", prefix + "\n\nAssistant:  No idea. "));
        assertThat(e.getPrompt()).isEqualTo("Human: Hi\n\nAssistant: Hello!\n\nHuman: How do I bake bread?");
        assertThat(e.getResponses()).extracting(r -> r.getId() + "=" + r.getText())
                .containsExactly("r1=Knead the dough.", "r2=No idea.");
        assertThat(((PairwiseChoice) e.getJudgement()).getPreferred()).isEqualTo("r1");
        assertThat(e.getAnnotator().getId()).isEqualTo("hh-rlhf");
        assertThat(e.getAnnotator().getKind()).isEqualTo(AnnotatorKind.HUMAN);
        assertThat(e.getEventTime()).isEqualTo(TIME);
        assertThat(e.getShownOrder()).isEmpty();
        assertThat(e.getMetadata()).containsEntry("source_file", "hh.jsonl.gz").containsEntry("source_line", "17");
        assertThat(FeedbackValidator.withDefaults().validate(e)).isEmpty();
    }

    @Test
    void parse_sameRecordAnywhere_getsTheSameIds() throws Exception {
        String line = line("\n\nHuman: Q\n\nAssistant: B", "\n\nHuman: Q\n\nAssistant: A");
        FeedbackEvent here = parsed(line);
        FeedbackEvent there = ((ParseResult.Parsed) parser.parse(line, new LineContext("other.jsonl", 99, TIME)))
                .event();
        assertThat(there.getEventId()).isEqualTo(here.getEventId()).startsWith("hh-");
        assertThat(there.getComparisonId()).isEqualTo(here.getComparisonId())
                .isEqualTo(ContentIds.comparisonId("Human: Q", List.of("A", "B")));
        // texts are listed in sorted order, so the chosen "B" is r2
        assertThat(((PairwiseChoice) here.getJudgement()).getPreferred()).isEqualTo("r2");
        FeedbackEvent reversed = parsed(line("\n\nHuman: Q\n\nAssistant: A", "\n\nHuman: Q\n\nAssistant: B"));
        assertThat(reversed.getComparisonId()).isEqualTo(here.getComparisonId());
        assertThat(reversed.getResponses()).isEqualTo(here.getResponses());
        assertThat(reversed.getEventId()).isNotEqualTo(here.getEventId());
    }

    @Test
    void parse_identicalDialogues_passForCurationToFilter() throws Exception {
        String d = "\n\nHuman: Q\n\nAssistant: Same.";
        FeedbackEvent e = parsed(line(d, d));
        assertThat(e.getResponses()).extracting(r -> r.getText()).containsExactly("Same.", "Same.");
        assertThat(FeedbackValidator.withDefaults().validate(e)).isEmpty();
    }

    @Test
    void parse_emptyFinalTurn_isEmptyTextOfThatDialogue() throws Exception {
        Violation v = rejected(line("\n\nHuman: Q\n\nAssistant: ", "\n\nHuman: Q\n\nAssistant: Ok"));
        assertThat(v.reason()).isEqualTo(RejectReason.EMPTY_TEXT);
        assertThat(v.field()).isEqualTo("chosen");
        v = rejected(line("\n\nHuman: Q\n\nAssistant: Ok", "\n\nHuman: Q\n\nAssistant:"));
        assertThat(v.field()).isEqualTo("rejected");
    }

    @Test
    void parse_noAssistantTurn_isUnparseableDialogue() throws Exception {
        Violation v = rejected(line("\n\nHuman: Q\n\nAssistant: A", "\n\nHuman: Q"));
        assertThat(v.reason()).isEqualTo(RejectReason.UNPARSEABLE_DIALOGUE);
        assertThat(v.field()).isEqualTo("rejected");
        assertThat(v.message()).contains("no '\\n\\nAssistant:' turn");
    }

    @Test
    void parse_noHumanTurnBeforeTheReply_isUnparseableDialogue() throws Exception {
        Violation v = rejected(line("\n\nAssistant: A", "\n\nAssistant: B"));
        assertThat(v.reason()).isEqualTo(RejectReason.UNPARSEABLE_DIALOGUE);
        assertThat(v.field()).isEqualTo("chosen");
    }

    @Test
    void parse_replyWithItsOwnAssistantTurn_namesThatDialogue() throws Exception {
        // the shape of line 1953 of the real file: a second Assistant turn inside the chosen reply
        String prompt = "\n\nHuman: Find me a serial.";
        Violation v = rejected(line(prompt + "\n\nAssistant: Here's the key:\n\nAssistant:  O.k., let's go.",
                prompt + "\n\nAssistant: You mean a password?"));
        assertThat(v.reason()).isEqualTo(RejectReason.UNPARSEABLE_DIALOGUE);
        assertThat(v.field()).isEqualTo("chosen");
        assertThat(v.message()).contains("diverge at char " + (prompt.length() + "\n\nAssistant: ".length()));
    }

    @Test
    void parse_differentPrompts_withoutCulprit_haveNoField() throws Exception {
        Violation v = rejected(line("\n\nHuman: Q1\n\nAssistant: A", "\n\nHuman: Q2\n\nAssistant: A"));
        assertThat(v.reason()).isEqualTo(RejectReason.UNPARSEABLE_DIALOGUE);
        assertThat(v.field()).isNull();
    }

    @Test
    void parse_structuralErrors_nameTheField() {
        assertThat(rejected("{\"chosen\": \"x\"}").field()).isEqualTo("rejected");
        assertThat(rejected("{\"chosen\": \"x\"}").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected("{\"chosen\": 1, \"rejected\": \"x\"}").reason()).isEqualTo(RejectReason.WRONG_TYPE);
        Violation unknown = rejected("{\"chosen\": \"x\", \"rejected\": \"y\", \"prompt\": \"z\"}");
        assertThat(unknown.reason()).isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(unknown.field()).isEqualTo("prompt");
        assertThat(rejected("{\"chosen\": ").reason()).isEqualTo(RejectReason.INVALID_JSON);
    }
}
