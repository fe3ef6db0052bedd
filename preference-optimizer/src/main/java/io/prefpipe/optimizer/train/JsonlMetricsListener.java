package io.prefpipe.optimizer.train;

import io.prefpipe.optimizer.internal.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one JSON object per step to a file (JSON lines): {@code step}, {@code time} (ISO-8601, when the step
 * ended), {@code elapsed_seconds} and every metric under its own name, e.g.
 *
 * <pre>
 * {"step":3,"time":"2026-11-28T10:00:01.5Z","elapsed_seconds":0.41,"loss":0.6871,"grad_norm":0.9,"learning_rate":0.001}
 * </pre>
 *
 * Each line is flushed as it is written, so the file is current while training runs and complete up to the last
 * step after a crash. Close it after training.
 */
public final class JsonlMetricsListener implements TrainingListener, AutoCloseable {

    private final BufferedWriter out;

    private JsonlMetricsListener(BufferedWriter out) {
        this.out = out;
    }

    /** Writes to {@code file}, replacing what it held. */
    public static JsonlMetricsListener create(Path file) throws IOException {
        return new JsonlMetricsListener(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Writes after what {@code file} holds (created if missing): for a resumed run continuing the same record. */
    public static JsonlMetricsListener append(Path file) throws IOException {
        return new JsonlMetricsListener(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    /** @throws UncheckedIOException if the line cannot be written */
    @Override
    public void onStep(TrainingProgress progress) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", progress.step());
        line.put("time", Instant.now());
        line.put("elapsed_seconds", progress.elapsed().toNanos() / 1e9);
        line.putAll(progress.metrics());
        try {
            out.write(Json.toLine(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the metrics of step " + progress.step() + " failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
