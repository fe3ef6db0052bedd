package io.prefpipe.app.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where the duplicate check of an iteration's candidates reads the candidates topic from, by partition: kept in the
 * iteration's folder before anything is published, so that a retry after a crash between the broker's acknowledgement
 * and the loop's journal reads from the same offsets and finds what the first attempt published, whatever any clock
 * says.
 *
 * <p>The first attempt takes the topic's end offsets of the moment when an earlier iteration of the loop has its file:
 * then the loop has always kept these files before publishing, so this iteration, which has none yet, has published
 * nothing, and whatever it publishes comes after those offsets. The check then reads only what was published since.
 * Without an earlier file (the loop's first iteration, or a loop folder written before these files existed, whose
 * iteration may have crashed after publishing its candidates and before journaling them) it reads the topic from its
 * beginning, which a check of the end offsets of the moment could miss.
 */
final class CandidateOffsets {
    static final String FILE = "candidates-from-offsets.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CandidateOffsets() {}

    /**
     * The offsets for iteration {@code iteration} of the loop in {@code loopDir}: those kept in its folder, else
     * {@code endOffsets} or, without an earlier iteration's file, every partition's beginning (an empty map), kept now
     * in its folder.
     *
     * @param endOffsets the candidates topic's end offsets at this moment, by partition; asked only when they are used
     */
    static Map<Integer, Long> of(Path loopDir, int iteration, Supplier<Map<Integer, Long>> endOffsets)
            throws IOException {
        Path file = file(loopDir, iteration);
        if (Files.exists(file)) {
            return read(file);
        }
        Map<Integer, Long> from = anEarlierIterationKeptOne(loopDir, iteration)
                ? new TreeMap<>(endOffsets.get())
                : new TreeMap<>();
        AtomicFiles.writeFile(file, out -> JSON.writeValue(out, from));
        return from;
    }

    /** Where iteration {@code iteration}'s offsets are kept. */
    static Path file(Path loopDir, int iteration) {
        return AlignmentLoop.iterationFolder(loopDir, iteration).resolve(FILE);
    }

    private static boolean anEarlierIterationKeptOne(Path loopDir, int iteration) {
        for (int earlier = iteration - 1; earlier >= 1; earlier--) {
            if (Files.exists(file(loopDir, earlier))) {
                return true;
            }
        }
        return false;
    }

    private static Map<Integer, Long> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<TreeMap<Integer, Long>>() {});
    }
}
