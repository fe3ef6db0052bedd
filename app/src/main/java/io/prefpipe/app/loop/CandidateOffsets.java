package io.prefpipe.app.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>The first attempt takes the topic's end offsets of the moment when the loop has always kept these files before
 * publishing: an earlier iteration has its file, or the loop's folder was begun by code that keeps them
 * ({@link #markKeptFromTheStart}, when it begins its first iteration). Then this iteration, which has none yet, has
 * published nothing, and whatever it publishes comes after those offsets; the check reads only what was published
 * since. Otherwise (a loop folder written before these files existed, whose iteration may have crashed after
 * publishing its candidates and before journaling them) it reads the topic from its beginning, which a check of the
 * end offsets of the moment could miss.
 */
final class CandidateOffsets {
    static final String FILE = "candidates-from-offsets.json";
    /** In the loop's folder: every iteration of this loop keeps its offsets before publishing. */
    static final String KEPT_FROM_THE_START = "candidates-offsets-kept-from-the-start";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CandidateOffsets() {}

    /**
     * The offsets for iteration {@code iteration} of the loop in {@code loopDir}: those kept in its folder, else
     * {@code endOffsets} or, when the loop may not have kept them all along, every partition's beginning (an empty
     * map), kept now in its folder.
     *
     * @param endOffsets the candidates topic's end offsets at this moment, by partition; asked only when they are used
     */
    static Map<Integer, Long> of(Path loopDir, int iteration, Supplier<Map<Integer, Long>> endOffsets)
            throws IOException {
        Path file = file(loopDir, iteration);
        if (Files.exists(file)) {
            return read(file);
        }
        Map<Integer, Long> from = Files.exists(loopDir.resolve(KEPT_FROM_THE_START))
                || anEarlierIterationKeptOne(loopDir, iteration) ? new TreeMap<>(endOffsets.get()) : new TreeMap<>();
        AtomicFiles.writeFile(file, out -> JSON.writeValue(out, from));
        return from;
    }

    /**
     * Records that the loop in {@code loopDir} keeps its offsets from its first iteration on; called before that
     * iteration begins, so no iteration can have published without keeping them.
     */
    static void markKeptFromTheStart(Path loopDir) throws IOException {
        AtomicFiles.writeFile(loopDir.resolve(KEPT_FROM_THE_START), out -> out.write(
                "Every iteration of this loop kept its candidates' offsets before publishing (CandidateOffsets).\n"
                        .getBytes(StandardCharsets.UTF_8)));
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
