package io.prefpipe.app.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.optimizer.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the duplicate check of an iteration's candidates reads the candidates topic from, by partition: kept in the
 * iteration's folder before anything is published, so that a retry after a crash between the broker's acknowledgement
 * and the loop's journal reads from the same offsets and finds what the first attempt published, whatever any clock
 * says.
 *
 * <p>The first attempt takes the offsets of the iteration before: that iteration's candidates were all published after
 * them, so this iteration's can only have been published after them too. That holds as well for a loop folder written
 * before these files existed, whose iteration may have crashed after publishing its candidates and before journaling
 * them: the check still reaches back far enough, where the topic's end offsets of the moment would have let the
 * candidates be published twice. Without the iteration before's offsets (the first iteration, or such an old folder) the
 * check reads the topic from its beginning. Either way it reads about one iteration's requests, not the topic's whole
 * history, except that once.
 */
final class CandidateOffsets {
    static final String FILE = "candidates-from-offsets.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CandidateOffsets() {}

    /**
     * The offsets for iteration {@code iteration} of the loop in {@code loopDir}: those kept in its folder, else the
     * iteration before's, kept now in its folder; an empty map means every partition from its beginning.
     */
    static Map<Integer, Long> of(Path loopDir, int iteration) throws IOException {
        Path file = file(loopDir, iteration);
        if (Files.exists(file)) {
            return read(file);
        }
        Path before = iteration > 1 ? file(loopDir, iteration - 1) : null;
        Map<Integer, Long> from = before != null && Files.exists(before) ? read(before) : new TreeMap<>();
        AtomicFiles.writeFile(file, out -> JSON.writeValue(out, from));
        return from;
    }

    /** Where iteration {@code iteration}'s offsets are kept. */
    static Path file(Path loopDir, int iteration) {
        return AlignmentLoop.iterationFolder(loopDir, iteration).resolve(FILE);
    }

    private static Map<Integer, Long> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<TreeMap<Integer, Long>>() {});
    }
}
