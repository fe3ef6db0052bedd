package io.prefpipe.app.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code prefpipe logprobs} on the tiny GPT-2 fixture whose expected log-probabilities transformers computed
 * ({@code preference-optimizer/src/test/python/make_gpt2_fixture.py}).
 */
class LogprobsCommandTest {

    private static final Path FIXTURE = Path.of("../preference-optimizer/src/test/resources/gpt2-tiny");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void call_gpt2Fixture_matchesTransformersAndRefusesBadLinesInPlace() throws IOException {
        List<JsonNode> expected = new ArrayList<>();
        List<String> input = new ArrayList<>();
        for (String line : Files.readAllLines(FIXTURE.resolve("expected-logprobs.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode e = JSON.readTree(line);
            expected.add(e);
            input.add(JSON.createObjectNode().put("id", expected.size()).put("prompt", e.get("prompt").asText())
                    .put("response", e.get("response").asText()).toString());
        }
        input.add(1, "{\"prompt\": \"no response\"}");
        input.add(3, "not json");
        Path in = Files.write(dir.resolve("in.jsonl"), input, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");

        int exit = new CommandLine(new LogprobsCommand()).execute("--model", FIXTURE.toString(), "--input",
                in.toString(), "--out", out.toString(), "--chunk", "5");

        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(2);
        assertThat(lines).hasSize(input.size());
        assertThat(JSON.readTree(lines.get(1)).get("error").asText()).contains("response");
        assertThat(JSON.readTree(lines.get(3)).get("line").asInt()).isEqualTo(4);
        int e = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (i == 1 || i == 3) {
                continue;
            }
            JsonNode got = JSON.readTree(lines.get(i));
            JsonNode want = expected.get(e++);
            double lp = want.get("log_prob").asDouble();
            assertThat(got.get("id").asInt()).isEqualTo(e);
            assertThat(got.get("tokens").asInt()).isEqualTo(want.get("tokens").asInt());
            assertThat(got.get("logprob").asDouble()).isCloseTo(lp, within(2e-4 + 2e-6 * Math.abs(lp)));
        }
    }
}
