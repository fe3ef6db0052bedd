package io.prefpipe.app.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JSONL file of objects in chunks, lets a batch function add fields to each valid object, and writes one
 * output line per input line, in order. A line that is not a JSON object, or that the batch function refuses, becomes
 * {@code {"line": n, "error": "..."}} in the output and a message on the error stream, so output lines stay aligned
 * with input lines and nothing is dropped silently.
 */
public final class JsonlTransform {

    /** Adds fields to a chunk of valid input objects, in place. */
    @FunctionalInterface
    public interface Batch {
        /**
         * @param objects the chunk's valid objects, in input order
         * @param lines their 1-based input line numbers
         * @return per object, null when done, or the reason it is refused (naming the field)
         */
        List<String> apply(List<ObjectNode> objects, List<Integer> lines);
    }

    /**
     * Counts of a finished transform.
     *
     * @param lines input lines read (blank lines included)
     * @param written objects written with their new fields
     * @param refused lines written as errors
     */
    public record Report(long lines, long written, long refused) {
        public String summary() {
            return String.format(Locale.ROOT, "%,d lines in = %,d written + %,d refused", lines, written, refused);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlTransform() {}

    /**
     * Transforms {@code input} into {@code output}, {@code chunk} lines at a time, reporting progress to {@code log}.
     * The output is written beside its final name and moved there when complete, so it may be the input file itself,
     * and a failed run leaves an existing output as it was.
     */
    public static Report run(Path input, Path output, int chunk, Batch batch, PrintStream log) throws IOException {
        Report[] report = new Report[1];
        AtomicFiles.writeFile(output, stream -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            report[0] = transform(input, writer, chunk, batch, log);
            writer.flush();
        });
        return report[0];
    }

    private static Report transform(Path input, BufferedWriter writer, int chunk, Batch batch, PrintStream log)
            throws IOException {
        long lines = 0;
        long written = 0;
        long refused = 0;
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            List<JsonNode> pending = new ArrayList<>(chunk);
            List<Integer> numbers = new ArrayList<>(chunk);
            List<String> errors = new ArrayList<>(chunk);
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                JsonNode node = null;
                String error = null;
                if (line.isBlank()) {
                    error = "blank line";
                } else {
                    try {
                        node = JSON.readTree(line);
                        if (!node.isObject()) {
                            error = "not a JSON object";
                        }
                    } catch (JsonProcessingException e) {
                        error = "invalid JSON: " + e.getOriginalMessage();
                    }
                }
                pending.add(node);
                numbers.add((int) lines);
                errors.add(error);
                if (pending.size() == chunk) {
                    long[] counts = flush(pending, numbers, errors, batch, writer, log);
                    written += counts[0];
                    refused += counts[1];
                    log.printf(Locale.ROOT, "  %,d lines done%n", lines);
                }
            }
            long[] counts = flush(pending, numbers, errors, batch, writer, log);
            written += counts[0];
            refused += counts[1];
        }
        return new Report(lines, written, refused);
    }

    private static long[] flush(List<JsonNode> pending, List<Integer> numbers, List<String> errors, Batch batch,
            BufferedWriter writer, PrintStream log) throws IOException {
        List<ObjectNode> valid = new ArrayList<>();
        List<Integer> validLines = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (errors.get(i) == null) {
                valid.add((ObjectNode) pending.get(i));
                validLines.add(numbers.get(i));
                validIndex.add(i);
            }
        }
        if (!valid.isEmpty()) {
            List<String> refusals = batch.apply(valid, validLines);
            for (int v = 0; v < valid.size(); v++) {
                errors.set(validIndex.get(v), refusals.get(v));
            }
        }
        long written = 0;
        long refused = 0;
        for (int i = 0; i < pending.size(); i++) {
            String error = errors.get(i);
            if (error == null) {
                writer.write(JSON.writeValueAsString(pending.get(i)));
                written++;
            } else {
                ObjectNode e = JSON.createObjectNode();
                e.put("line", numbers.get(i));
                e.put("error", error);
                writer.write(JSON.writeValueAsString(e));
                log.println("refused line " + numbers.get(i) + ": " + error);
                refused++;
            }
            writer.newLine();
        }
        pending.clear();
        numbers.clear();
        errors.clear();
        return new long[] {written, refused};
    }

    /** The text field {@code name} of {@code object}, or null if it is missing or not a string. */
    public static String text(ObjectNode object, String name) {
        JsonNode value = object.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
