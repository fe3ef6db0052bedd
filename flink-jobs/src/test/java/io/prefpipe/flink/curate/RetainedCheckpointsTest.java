package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedCheckpointsTest {

    @TempDir
    Path tmp;

    @Test
    void checkpointId_retainedCheckpoint_isTheIdItsMetadataRecords() throws IOException {
        assertThat(RetainedCheckpoints.checkpointId(TestCheckpoints.complete(tmp.resolve("job/chk-42"), 42)))
                .isEqualTo(42);
    }

    @Test
    void checkpointId_savepoint_isTheIdItsMetadataRecordsThoughItsNameHasNone() throws IOException {
        assertThat(RetainedCheckpoints.checkpointId(
                TestCheckpoints.complete(tmp.resolve("savepoint-1a2b3c-4d5e6f"), 17))).isEqualTo(17);
    }

    @Test
    void checkpointId_folderWithoutMetadata_isRefusedNamingIt() throws IOException {
        Path unfinished = Files.createDirectories(tmp.resolve("job/chk-43"));
        assertThatThrownBy(() -> RetainedCheckpoints.checkpointId(unfinished))
                .isInstanceOf(IOException.class).hasMessageContaining(unfinished.toString());
    }

    @Test
    void latest_picksTheNewestCompleteCheckpoint() throws IOException {
        TestCheckpoints.complete(tmp.resolve("job/chk-3"), 3);
        Path newest = TestCheckpoints.complete(tmp.resolve("job/chk-4"), 4);
        Files.createDirectories(tmp.resolve("job/chk-5"));

        assertThat(RetainedCheckpoints.latest(tmp)).contains(newest);
    }

    @Test
    void latestOfJob_isTheHighestNumberedCompleteCheckpointOfThatJob() throws IOException {
        TestCheckpoints.complete(tmp.resolve("job-a/chk-9"), 9);
        Path latest = TestCheckpoints.complete(tmp.resolve("job-a/chk-10"), 10);
        Files.createDirectories(tmp.resolve("job-a/chk-11"));
        Files.createDirectories(tmp.resolve("job-a/shared"));
        Files.createDirectories(tmp.resolve("job-a/taskowned"));
        TestCheckpoints.complete(tmp.resolve("job-b/chk-12"), 12);

        assertThat(RetainedCheckpoints.latestOfJob(tmp.toUri(), "job-a").map(Path::of)).contains(latest);
    }

    @Test
    void latestOfJob_jobWithoutCompleteCheckpoints_isEmpty() throws IOException {
        Files.createDirectories(tmp.resolve("job-a/chk-1"));

        assertThat(RetainedCheckpoints.latestOfJob(tmp.toUri(), "job-a")).isEmpty();
        assertThat(RetainedCheckpoints.latestOfJob(tmp.toUri(), "job-never-ran")).isEmpty();
    }
}
