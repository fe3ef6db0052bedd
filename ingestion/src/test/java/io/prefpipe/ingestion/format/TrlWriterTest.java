package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.schema.FeedbackEvent;
import io.prefpipe.schema.PairwiseChoice;
import io.prefpipe.schema.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TrlWriterTest {
    private static final LineContext CONTEXT = new LineContext("export.jsonl", 1, Instant.parse("2026-11-28T10:00:00Z"));

    /** prompt, chosen, rejected: awkward texts a writer could mangle. */
    static List<List<String>> pairs() {
        return List.of(
                List.of("The sky is", " blue.", " green."),
                List.of("Quote \"this\" \\ and\ttab\nnewline", "ünïcødé ✓ 𝄞", "\u0000 control"),
                List.of("Human: Hi\n\nAssistant: Hello.\n\nHuman: Name a prime.", "7", "9"));
    }

    private static String[] readBack(String line) {
        ParseResult r = new TrlParser().parse(line, CONTEXT);
        assertThat(r).as(line).isInstanceOf(ParseResult.Parsed.class);
        FeedbackEvent e = ((ParseResult.Parsed) r).event();
        String preferred = ((PairwiseChoice) e.getJudgement()).getPreferred();
        String chosen = e.getResponses().stream().filter(x -> x.getId().equals(preferred)).map(Response::getText)
                .findFirst().orElseThrow();
        String rejected = e.getResponses().stream().filter(x -> !x.getId().equals(preferred))
                .map(Response::getText).findFirst().orElseThrow();
        return new String[] {e.getPrompt(), chosen, rejected};
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void write_standard_readsBackAsTheSamePair(List<String> pair) {
        String line = new TrlWriter(TrlWriter.Form.STANDARD).write(pair.get(0), pair.get(1), pair.get(2), Map.of());
        assertThat(line).doesNotContain("\n");
        assertThat(readBack(line)).containsExactly(pair.get(0), pair.get(1), pair.get(2));
    }

    @Test
    void write_conversational_splitsATranscriptIntoMessagesAndReadsBackTheSame() {
        String prompt = "System: Be brief.\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Name a prime.";
        String line = new TrlWriter(TrlWriter.Form.CONVERSATIONAL).write(prompt, "7", "9", Map.of());
        assertThat(line).startsWith("{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"},"
                + "{\"role\":\"user\",\"content\":\"Name a prime.\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"7\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"9\"}]");
        assertThat(readBack(line)).containsExactly(prompt, "7", "9");
    }

    @Test
    void write_conversationalPlainPrompt_isOneUserMessage() {
        String line = new TrlWriter(TrlWriter.Form.CONVERSATIONAL).write("The sky is", "blue", "green", Map.of());
        assertThat(readBack(line)).containsExactly("Human: The sky is", "blue", "green");
    }

    @Test
    void write_extraFields_followThePairInOrder() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("pair_id", "p-1");
        extra.put("p_chosen", 0.75);
        extra.put("vote_count", 3);
        String line = new TrlWriter(TrlWriter.Form.STANDARD).write("p", "a", "b", extra);
        assertThat(line).isEqualTo("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"pair_id\":\"p-1\","
                + "\"p_chosen\":0.75,\"vote_count\":3}");
    }

    @Test
    void write_extraFieldNamedLikeThePairOrOfAnotherType_isRefused() {
        TrlWriter writer = new TrlWriter(TrlWriter.Form.STANDARD);
        assertThatThrownBy(() -> writer.write("p", "a", "b", Map.of("chosen", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chosen");
        assertThatThrownBy(() -> writer.write("p", "a", "b", Map.of("when", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
    }
}
