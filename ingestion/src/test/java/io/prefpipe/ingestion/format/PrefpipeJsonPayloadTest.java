package io.prefpipe.ingestion.format;

import static io.prefpipe.ingestion.format.PrefpipeJsonParserTest.EXAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prefpipe.ingestion.validate.RejectReason;
import io.prefpipe.ingestion.validate.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON form read from byte payloads: Kafka messages of the JSON topic and HTTP request bodies. */
class PrefpipeJsonPayloadTest {
    private final PrefpipeJsonParser parser = new PrefpipeJsonParser();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Violation violation(ParseResult r) {
        assertThat(r).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) r).violation();
    }

    @Test
    void parse_utf8Bytes_sameEventAsTheString() {
        String withUmlaut = EXAMPLE.replace("How do I", "Wie öffne ich");

        assertThat(parser.parse(utf8(withUmlaut))).isEqualTo(parser.parse(withUmlaut));
        assertThat(((ParseResult.Parsed) parser.parse(utf8(withUmlaut))).event().getPrompt()).startsWith("Wie öffne");
    }

    @Test
    void parse_invalidUtf8_isInvalidUtf8() {
        byte[] bytes = utf8(EXAMPLE);
        bytes[EXAMPLE.indexOf("How")] = (byte) 0xC3;
        bytes[EXAMPLE.indexOf("How") + 1] = (byte) 0x28;

        Violation v = violation(parser.parse(bytes));

        assertThat(v.reason()).isEqualTo(RejectReason.INVALID_UTF8);
        assertThat(v.field()).isNull();
    }

    @Test
    void parseOneOrMany_object_isOneEvent() {
        assertThat(parser.parseOneOrMany(utf8(EXAMPLE))).containsExactly(parser.parse(EXAMPLE));
    }

    @Test
    void parseOneOrMany_array_parsesEachElementOnItsOwn() {
        String missingPrompt = EXAMPLE.replace("\"prompt\": \"How do I reset my password?\",", "");
        String body = "[" + EXAMPLE + ", \"just text\", " + missingPrompt + ", " + EXAMPLE + "]";

        List<ParseResult> results = parser.parseOneOrMany(utf8(body));

        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isEqualTo(parser.parse(EXAMPLE)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(results.get(3)).isEqualTo(results.get(0));
        assertThat(List.of(violation(results.get(1)), violation(results.get(2))))
                .extracting(Violation::reason, Violation::field)
                .containsExactly(tuple(RejectReason.WRONG_TYPE, null), tuple(RejectReason.MISSING_FIELD, "prompt"));
    }

    @Test
    void parseOneOrMany_emptyArray_isNoEvent() {
        assertThat(parser.parseOneOrMany(utf8(" [ ] "))).isEmpty();
    }

    @Test
    void parseOneOrMany_notJson_isOneInvalidJson() {
        List<ParseResult> results = parser.parseOneOrMany(utf8("[" + EXAMPLE));

        assertThat(results).hasSize(1);
        assertThat(violation(results.get(0)).reason()).isEqualTo(RejectReason.INVALID_JSON);
    }

    @Test
    void parseOneOrMany_invalidUtf8_isOneInvalidUtf8() {
        List<ParseResult> results = parser.parseOneOrMany(new byte[] {'[', (byte) 0xFF, ']'});

        assertThat(results).hasSize(1);
        assertThat(violation(results.get(0)).reason()).isEqualTo(RejectReason.INVALID_UTF8);
    }
}
