package io.prefpipe.app.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTransformTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Adds the length of {@code text}; refuses objects without it. */
    private static final JsonlTransform.Batch LENGTH = (objects, lines) -> {
        List<String> refusals = new ArrayList<>();
        for (ObjectNode o : objects) {
            if (o.hasNonNull("text")) {
                o.put("length", o.get("text").asText().length());
                refusals.add(null);
            } else {
                refusals.add("missing field text");
            }
        }
        return refusals;
    };

    @Test
    void run_keepsOneOutputLinePerInputLine_refusalsInPlace() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\":\"ab\"}\n\nnot json\n{\"other\":1}\n{\"text\":\"abc\"}\n");
        Path out = tmp.resolve("out.jsonl");

        JsonlTransform.Report report = JsonlTransform.run(in, out, 2, LENGTH, QUIET);

        assertThat(report).isEqualTo(new JsonlTransform.Report(5, 2, 3));
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("{\"text\":\"ab\",\"length\":2}");
        assertThat(lines.get(1)).isEqualTo("{\"line\":2,\"error\":\"blank line\"}");
        assertThat(lines.get(2)).startsWith("{\"line\":3,\"error\":\"invalid JSON: ");
        assertThat(lines.get(3)).isEqualTo("{\"line\":4,\"error\":\"missing field text\"}");
        assertThat(lines.get(4)).isEqualTo("{\"text\":\"abc\",\"length\":3}");
    }

    @Test
    void run_outputIsTheInput_replacesItWithTheResult() throws Exception {
        Path file = Files.writeString(tmp.resolve("scored.jsonl"), "{\"text\":\"ab\"}\n{\"text\":\"abcd\"}\n");

        JsonlTransform.Report report = JsonlTransform.run(file, file, 100, LENGTH, QUIET);

        assertThat(report.written()).isEqualTo(2);
        assertThat(Files.readAllLines(file)).containsExactly("{\"text\":\"ab\",\"length\":2}",
                "{\"text\":\"abcd\",\"length\":4}");
        try (var files = Files.list(tmp)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void run_batchFails_leavesAnExistingOutputAsItWas() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\":\"ab\"}\n");
        Path out = Files.writeString(tmp.resolve("out.jsonl"), "earlier result\n");
        JsonlTransform.Batch failing = (objects, lines) -> {
            throw new IllegalStateException("model failed");
        };

        assertThatThrownBy(() -> JsonlTransform.run(in, out, 10, failing, QUIET)).hasMessage("model failed");

        assertThat(Files.readString(out)).isEqualTo("earlier result\n");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactlyInAnyOrder(in, out);
        }
    }

    @TempDir
    Path tmp;
}
