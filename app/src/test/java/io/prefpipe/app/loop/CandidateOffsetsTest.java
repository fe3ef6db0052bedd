package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateOffsetsTest {
    private static final Map<Integer, Long> END = Map.of(0, 640L, 1, 577L);

    private final List<String> asked = new ArrayList<>();

    @Test
    void theFirstIterationOfALoopBegunKeepingOffsets_checksFromTheEndOffsetsOfTheMoment(@TempDir Path loop)
            throws Exception {
        CandidateOffsets.markKeptFromTheStart(loop);

        assertThat(CandidateOffsets.of(loop, 1, endOffsets())).isEqualTo(END);
        assertThat(CandidateOffsets.file(loop, 1)).as("kept before anything is published").isRegularFile();
    }

    @Test
    void aFirstIterationFromBeforeTheseFiles_checksFromTheBeginning(@TempDir Path loop) throws Exception {
        // begun before the loop kept offsets: iteration 1 may have published before it crashed
        assertThat(CandidateOffsets.of(loop, 1, endOffsets())).isEmpty();
        assertThat(asked).as("the end offsets are not asked for").isEmpty();
        assertThat(CandidateOffsets.file(loop, 1)).isRegularFile();
    }

    @Test
    void aFirstAttemptAfterAnIterationThatKeptItsOffsets_checksFromTheEndOffsetsOfTheMoment(@TempDir Path loop)
            throws Exception {
        write(CandidateOffsets.file(loop, 3), "{\"0\":120,\"1\":97}");

        assertThat(CandidateOffsets.of(loop, 4, endOffsets())).containsExactly(Map.entry(0, 640L), Map.entry(1, 577L));
        assertThat(Files.readString(CandidateOffsets.file(loop, 4))).isEqualTo("{\"0\":640,\"1\":577}");
    }

    @Test
    void iterationsWithoutCandidatesBetween_stillShowTheLoopKeepsItsOffsets(@TempDir Path loop) throws Exception {
        // iterations 3 and 4 had candidates switched off, so they kept no file and published nothing
        write(CandidateOffsets.file(loop, 2), "{\"0\":120}");
        Files.createDirectories(AlignmentLoop.iterationFolder(loop, 4));

        assertThat(CandidateOffsets.of(loop, 5, endOffsets())).isEqualTo(END);
    }

    @Test
    void aRetryChecksFromTheSameOffsetsAsItsFirstAttempt(@TempDir Path loop) throws Exception {
        write(CandidateOffsets.file(loop, 3), "{\"0\":120}");
        Map<Integer, Long> first = CandidateOffsets.of(loop, 4, endOffsets());
        asked.clear();

        // the first attempt published its candidates, so the end offsets have moved past them
        assertThat(CandidateOffsets.of(loop, 4, () -> Map.of(0, 900L, 1, 800L))).isEqualTo(first).isEqualTo(END);
    }

    @Test
    void aFolderFromBeforeTheseFilesChecksFromTheBeginning(@TempDir Path loop) throws Exception {
        // iterations 1-4 ran without offsets files, and iteration 5 may have published before it crashed
        Files.createDirectories(AlignmentLoop.iterationFolder(loop, 4));

        assertThat(CandidateOffsets.of(loop, 5, endOffsets())).isEmpty();
        assertThat(asked).isEmpty();
    }

    private Supplier<Map<Integer, Long>> endOffsets() {
        return () -> {
            asked.add("end offsets");
            return END;
        };
    }

    private static void write(Path file, String json) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }
}
