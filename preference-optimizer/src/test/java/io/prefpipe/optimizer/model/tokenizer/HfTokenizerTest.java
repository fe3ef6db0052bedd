package io.prefpipe.optimizer.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerTest {
    /** The fixture written by src/test/python/make_gpt2_fixture.py. */
    static final Path FIXTURE = Path.of("src/test/resources/gpt2-tiny");

    private static HfTokenizer tokenizer;

    @TempDir Path dir;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HfTokenizer.load(FIXTURE.resolve(HfTokenizer.FILE_NAME));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encode_matchesThePythonTokenizersLibrary() throws IOException {
        // the fixture's ids come from tokenizers (Python), after truncation to 64 tokens (prompt tail, response head)
        // and with <|endoftext|> (id 0) standing in for an empty prompt
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = Files.readAllLines(FIXTURE.resolve("expected-logprobs.jsonl"));
        for (String line : lines) {
            JsonNode row = mapper.readTree(line);
            int[] prompt = tokenizer.encode(row.get("prompt").asText());
            int[] response = tokenizer.encode(row.get("response").asText());
            int[] expectedPrompt = ids(row.get("prompt_ids"));
            int[] expectedResponse = ids(row.get("response_ids"));
            String pair = row.get("prompt").asText() + " / " + row.get("response").asText();
            assertThat(Arrays.copyOf(response, expectedResponse.length)).as(pair).containsExactly(expectedResponse);
            if (prompt.length == 0) {
                assertThat(expectedPrompt).as(pair).containsExactly(0);
            } else {
                assertThat(Arrays.copyOfRange(prompt, prompt.length - expectedPrompt.length, prompt.length)).as(pair)
                        .containsExactly(expectedPrompt);
            }
        }
        assertThat(lines).hasSize(12);
    }

    @Test
    void encode_addsNoSpecialTokens_andDecodeRoundTripsUnicode() {
        String text = "Café naïve — 日本 🙂\ttabs\n";
        int[] ids = tokenizer.encode(text);
        // id 0 is <|endoftext|>, the only special token
        assertThat(ids).isNotEmpty().doesNotContain(0);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void decode_skipsTheSpecialToken() {
        int[] hello = tokenizer.encode("Hello");
        int[] withEos = new int[hello.length + 1];
        System.arraycopy(hello, 0, withEos, 0, hello.length);
        assertThat(tokenizer.decode(withEos)).isEqualTo("Hello");
        // 383 BPE ids plus <|endoftext|> at 0: the library itself would skip 384 silently
        assertThat(tokenizer.vocabularySize()).isEqualTo(384);
        assertThatThrownBy(() -> tokenizer.decode(new int[] {384})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("384");
        assertThatThrownBy(() -> tokenizer.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encode_longText_isNotTruncated() {
        // DJL's default would cut at 512 tokens; every character here is at least one token
        String text = "#$%&@".repeat(200);
        assertThat(tokenizer.encode(text).length).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void copy_outlivesTheOriginal_andWriteReproducesTheFile() throws IOException {
        HfTokenizer original = HfTokenizer.load(FIXTURE.resolve(HfTokenizer.FILE_NAME));
        HfTokenizer copy = original.copy();
        original.close();
        try (copy) {
            assertThat(copy.encode("The cat")).containsExactly(tokenizer.encode("The cat"));
            copy.write(dir.resolve("tokenizer.json"));
        }
        assertThat(dir.resolve("tokenizer.json")).hasSameBinaryContentAs(FIXTURE.resolve(HfTokenizer.FILE_NAME));
    }

    @Test
    void load_missingOrMalformedFile_namesIt() throws IOException {
        assertThatThrownBy(() -> HfTokenizer.load(dir.resolve("none.json"))).isInstanceOf(IOException.class)
                .hasMessageContaining("none.json");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"model\": 3}");
        assertThatThrownBy(() -> HfTokenizer.load(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.json");
    }

    private static int[] ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
