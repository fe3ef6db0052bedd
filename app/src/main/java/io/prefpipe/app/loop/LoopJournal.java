package io.prefpipe.app.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The loop's memory across crashes: one {@link IterationRecord} per iteration begun, in {@value #FILE_NAME} in the
 * loop's folder, rewritten atomically after every step (a crash leaves the previous version or the new one, never a
 * torn file). A restarted loop reads it and continues with the first step the last iteration has not finished.
 */
public final class LoopJournal {

    public static final String FILE_NAME = "loop-journal.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<IterationRecord> iterations;

    private LoopJournal(Path file, List<IterationRecord> iterations) {
        this.file = file;
        this.iterations = new ArrayList<>(iterations);
    }

    /**
     * The journal in {@code dir}, empty if there is none yet.
     *
     * @throws IOException naming the file if it exists but cannot be read as a journal
     */
    public static LoopJournal open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new LoopJournal(file, List.of());
        }
        try {
            return new LoopJournal(file, JSON.readValue(file.toFile(), new TypeReference<List<IterationRecord>>() {}));
        } catch (IOException e) {
            throw new IOException("cannot read the loop journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every iteration begun, oldest first. */
    public List<IterationRecord> iterations() {
        return List.copyOf(iterations);
    }

    /** The latest iteration begun, if any. */
    public Optional<IterationRecord> latest() {
        return iterations.isEmpty() ? Optional.empty() : Optional.of(iterations.get(iterations.size() - 1));
    }

    /** The latest iteration that finished every step, if any. */
    public Optional<IterationRecord> latestComplete() {
        for (int i = iterations.size() - 1; i >= 0; i--) {
            if (iterations.get(i).isComplete()) {
                return Optional.of(iterations.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Records {@code record} as the latest iteration (replacing it if it has the same number) and writes the journal.
     *
     * @throws IllegalArgumentException if it is neither the latest iteration nor the one after a complete latest one
     */
    public void record(IterationRecord record) throws IOException {
        Optional<IterationRecord> latest = latest();
        if (latest.isPresent() && latest.get().iteration() == record.iteration()) {
            iterations.set(iterations.size() - 1, record);
        } else if (latest.map(l -> l.isComplete() && l.iteration() + 1 == record.iteration())
                .orElse(record.iteration() == 1)) {
            iterations.add(record);
        } else {
            throw new IllegalArgumentException("iteration " + record.iteration() + " cannot follow "
                    + latest.map(l -> "iteration " + l.iteration() + (l.isComplete() ? "" : " (unfinished)"))
                            .orElse("an empty journal"));
        }
        AtomicFiles.writeFile(file, out -> JSON.writeValue(out, iterations));
    }
}
