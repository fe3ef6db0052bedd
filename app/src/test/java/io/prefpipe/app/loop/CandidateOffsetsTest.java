package io.prefpipe.app.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateOffsetsTest {

    @Test
    void theFirstIterationChecksFromTheBeginning(@TempDir Path loop) throws Exception {
        assertThat(CandidateOffsets.of(loop, 1)).isEmpty();
        assertThat(CandidateOffsets.file(loop, 1)).as("kept before anything is published").isRegularFile();
    }

    @Test
    void aFirstAttemptChecksFromWhereTheIterationBeforeDid(@TempDir Path loop) throws Exception {
        write(CandidateOffsets.file(loop, 3), "{\"0\":120,\"1\":97}");

        assertThat(CandidateOffsets.of(loop, 4)).containsExactly(Map.entry(0, 120L), Map.entry(1, 97L));
        assertThat(Files.readString(CandidateOffsets.file(loop, 4))).isEqualTo("{\"0\":120,\"1\":97}");
    }

    @Test
    void aRetryChecksFromTheSameOffsetsAsItsFirstAttempt(@TempDir Path loop) throws Exception {
        write(CandidateOffsets.file(loop, 3), "{\"0\":120}");
        Map<Integer, Long> first = CandidateOffsets.of(loop, 4);
        // the iteration before's file changing (it never does) must not move a retry
        write(CandidateOffsets.file(loop, 3), "{\"0\":500}");

        assertThat(CandidateOffsets.of(loop, 4)).isEqualTo(first).containsExactly(Map.entry(0, 120L));
    }

    @Test
    void aFolderFromBeforeTheseFilesChecksFromTheBeginning(@TempDir Path loop) throws Exception {
        // iterations 1-4 ran without offsets files, and iteration 5 may have published before it crashed
        Files.createDirectories(AlignmentLoop.iterationFolder(loop, 4));

        assertThat(CandidateOffsets.of(loop, 5)).isEmpty();
    }

    private static void write(Path file, String json) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }
}
