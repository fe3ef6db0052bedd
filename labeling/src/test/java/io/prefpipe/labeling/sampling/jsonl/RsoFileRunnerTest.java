package io.prefpipe.labeling.sampling.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.labeling.sampling.Pairing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsoFileRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String prompt(String prompt, int k) {
        StringBuilder b = new StringBuilder("{\"prompt\": \"" + prompt + "\", \"candidates\": [");
        for (int i = 0; i < k; i++) {
            b.append(i == 0 ? "" : ", ").append("{\"id\": \"").append(prompt).append('-').append(i)
                    .append("\", \"text\": \"").append(prompt).append(" answer ").append(i)
                    .append("\", \"reward\": ").append((i * 37 % 11) / 4.0).append('}');
        }
        return b.append("]}").toString();
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> readPairs(Path p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private RsoOptions.Builder options(Path in, String out) {
        return RsoOptions.builder().setInput(in).setOutput(dir.resolve(out)).setN(4).setBeta(0.5).setSeed(1);
    }

    @Test
    void run_smallFileWithBadLines_writesPairsAndRefusesEachBadLineWithLineNumberFieldAndReason() throws IOException {
        Path in = write("scored.jsonl", List.of(
                prompt("p1", 6),                                                                    // 1
                "{\"prompt\": \"p2\", \"candidates\": [{\"text\": \"a\", \"reward\": 1}, "           // 2
                        + "{\"text\": \"b\", \"reward\": 0.5}], \"extra\": true}",
                "",                                                                                 // 3
                "{\"prompt\": \"p3\", \"candidates\": [",                                           // 4
                "{\"candidates\": []}",                                                             // 5
                "{\"prompt\": \"p6\", \"candidates\": []}",                                         // 6
                "{\"prompt\": \"p7\", \"candidates\": [{\"text\": \"a\", \"reward\": \"1.5\"}]}",   // 7
                "{\"prompt\": \"p8\", \"candidates\": [{\"text\": \"a\", \"reward\": 1e400}]}",     // 8
                "{\"prompt\": \"p9\", \"candidates\": [{\"id\": \"x\", \"text\": \"a\", \"reward\": 1}, "
                        + "{\"id\": \"x\", \"text\": \"b\", \"reward\": 2}]}",                      // 9
                "[1, 2]",                                                                           // 10
                "{\"prompt\": \"p11\", \"candidates\": [{\"reward\": 1}]}",                         // 11
                "{\"prompt\": 12, \"candidates\": [{\"text\": \"a\", \"reward\": 1}]}",             // 12
                "{\"prompt\": \"p\", \"prompt\": \"q\", \"candidates\": []}",                       // 13
                "{\"prompt\": \"p14\", \"candidates\": [{\"text\": \"a\", \"reward\": 1}]} {}",     // 14
                "   ",                                                                              // 15
                prompt("p16", 3)));                                                                 // 16

        RsoReport r = RsoFileRunner.run(options(in, "pairs.jsonl").setPairing(Pairing.TOURNAMENT).build());

        assertThat(r.refusals()).extracting(Refusal::lineNumber, Refusal::field, Refusal::reason).containsExactly(
                tuple(4L, "$", RefusalReason.MALFORMED_JSON),
                tuple(5L, "prompt", RefusalReason.MISSING_FIELD),
                tuple(6L, "candidates", RefusalReason.NO_CANDIDATES),
                tuple(7L, "candidates[0].reward", RefusalReason.WRONG_TYPE),
                tuple(8L, "candidates[0].reward", RefusalReason.NON_FINITE_REWARD),
                tuple(9L, "candidates[1].id", RefusalReason.DUPLICATE_ID),
                tuple(10L, "$", RefusalReason.MALFORMED_JSON),
                tuple(11L, "candidates[0].text", RefusalReason.MISSING_FIELD),
                tuple(12L, "prompt", RefusalReason.WRONG_TYPE),
                tuple(13L, "$", RefusalReason.MALFORMED_JSON),
                tuple(14L, "$", RefusalReason.MALFORMED_JSON));
        assertThat(r.refusals().get(3)).hasToString(
                "line 7: candidates[0].reward: wrong_type (expected a number, got a string)");
        assertThat(r.refusals().get(5).detail()).contains("candidates[0]");
        assertThat(r.refusals().get(6).detail()).isEqualTo("expected a JSON object, got an array");
        assertThat(r.refusals().get(9).detail()).containsIgnoringCase("duplicate field 'prompt'");
        assertThat(r.refusals().get(10).detail()).containsIgnoringCase("trailing token");

        assertThat(r.linesRead()).isEqualTo(16);
        assertThat(r.blankLines()).isEqualTo(2);
        assertThat(r.promptsRead()).isEqualTo(3);
        assertThat(r.candidatesRead()).isEqualTo(6 + 2 + 3);
        assertThat(r.accepted()).isEqualTo(4 + 2 + 3);
        assertThat(r.promptsExhausted()).isEqualTo(2);
        assertThat(r.refusedTotal()).isEqualTo(11);
        assertThat(r.refusedByReason()).containsEntry(RefusalReason.MALFORMED_JSON, 4L)
                .containsEntry(RefusalReason.INVALID_UTF8, 0L).hasSize(RefusalReason.values().length);
        assertThat(r.reconciles()).isTrue();
        // tournament: 4 accepted -> 3 pairs, 2 -> 1, 3 -> 2
        assertThat(r.pairsWritten()).isEqualTo(3 + 1 + 2);
        assertThat(r.summary()).contains("16 lines", "11 refused", "6 pairs written");

        List<JsonNode> pairs = readPairs(dir.resolve("pairs.jsonl"));
        assertThat(pairs).hasSize(6);
        assertThat(pairs).extracting(p -> p.get("prompt").asText())
                .containsExactly("p1", "p1", "p1", "p2", "p16", "p16");
        assertThat(pairs).allSatisfy(p -> {
            assertThat(p.fieldNames()).toIterable()
                    .containsExactly("prompt", "chosen", "rejected", "chosen_reward", "rejected_reward");
            assertThat(p.get("chosen_reward").asDouble()).isGreaterThanOrEqualTo(p.get("rejected_reward").asDouble());
        });
        assertThat(pairs.get(3)).isEqualTo(JSON.readTree(
                "{\"prompt\":\"p2\",\"chosen\":\"a\",\"rejected\":\"b\",\"chosen_reward\":1.0,\"rejected_reward\":0.5}"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("scored.jsonl", "pairs.jsonl");
        }
    }

    @Test
    void run_sameSeed_writesTheSameBytes_andAnotherSeedDiffers() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(prompt("q" + i, 16));
        }
        Path in = write("in.jsonl", lines);
        RsoFileRunner.run(options(in, "a.jsonl").build());
        RsoFileRunner.run(options(in, "b.jsonl").build());
        RsoFileRunner.run(options(in, "c.jsonl").setSeed(2).build());
        assertThat(Files.readAllBytes(dir.resolve("b.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("a.jsonl")));
        assertThat(Files.readAllBytes(dir.resolve("c.jsonl"))).isNotEqualTo(Files.readAllBytes(dir.resolve("a.jsonl")));
    }

    @Test
    void run_reorderedLines_giveEachPromptTheSamePairs() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(prompt("q" + i, 12));
        }
        RsoFileRunner.run(options(write("in.jsonl", lines), "a.jsonl").build());
        List<String> shuffled = new ArrayList<>(lines);
        Collections.reverse(shuffled);
        shuffled.add(0, "not json");
        RsoFileRunner.run(options(write("reversed.jsonl", shuffled), "b.jsonl").build());
        List<String> a = Files.readAllLines(dir.resolve("a.jsonl"));
        List<String> b = Files.readAllLines(dir.resolve("b.jsonl"));
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
    }

    @Test
    void run_invalidUtf8CrlfAndBom_areHandledPerLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes((prompt("é1", 2) + "\r\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"prompt\": \"bad \u00e9".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
        bytes.writeBytes("\", \"candidates\": []}\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(prompt("last-without-newline", 2).getBytes(StandardCharsets.UTF_8));
        Path in = Files.write(dir.resolve("in.jsonl"), bytes.toByteArray());

        RsoReport r = RsoFileRunner.run(options(in, "out.jsonl").build());

        assertThat(r.refusals()).singleElement().satisfies(f -> {
            assertThat(f.lineNumber()).isEqualTo(2);
            assertThat(f.reason()).isEqualTo(RefusalReason.INVALID_UTF8);
        });
        assertThat(r.promptsRead()).isEqualTo(2);
        assertThat(r.reconciles()).isTrue();
        assertThat(readPairs(dir.resolve("out.jsonl"))).extracting(p -> p.get("prompt").asText())
                .containsExactly("é1", "last-without-newline");
    }

    @Test
    void run_missingInput_throwsAndLeavesNoOutput() {
        RsoOptions o = options(dir.resolve("absent.jsonl"), "out.jsonl").build();
        assertThatThrownBy(() -> RsoFileRunner.run(o)).isInstanceOf(NoSuchFileException.class);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void options_invalidValues_nameTheField() {
        Path in = dir.resolve("in.jsonl");
        assertThatThrownBy(() -> options(in, "o").setN(0).build()).hasMessageStartingWith("n must be >= 1");
        assertThatThrownBy(() -> options(in, "o").setBeta(0).build()).hasMessageStartingWith("beta must be");
        assertThatThrownBy(() -> options(in, "o").setPairing("swiss")).hasMessageStartingWith("pairing must be");
        assertThatThrownBy(() -> RsoOptions.builder().setOutput(in).build()).hasMessage("input is required");
        assertThatThrownBy(() -> RsoOptions.builder().setInput(in).build()).hasMessage("output is required");
        assertThatThrownBy(() -> RsoOptions.builder().setInput(in).setOutput(dir.resolve("./in.jsonl")).build())
                .hasMessageStartingWith("output must differ from input");
    }

    @Test
    void promptSeed_dependsOnRunSeedAndPromptOnly() {
        assertThat(RsoFileRunner.promptSeed(1, "x")).isEqualTo(RsoFileRunner.promptSeed(1, "x"))
                .isNotEqualTo(RsoFileRunner.promptSeed(2, "x")).isNotEqualTo(RsoFileRunner.promptSeed(1, "y"));
    }
}
