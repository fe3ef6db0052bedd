package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.flink.curate.TestCheckpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job jar's main says when an application cluster runs it again after a job manager failover (the same fixed
 * job id that the snapshot folder records): the checkpoint the cluster recovers the job from, whose Kafka transactions
 * it then reports as for any restore.
 */
class CurationJobMainFailoverTest {
    private static final String JOB = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path checkpoints;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void failoverCheckpoint_isTheJobsLatestCompleteCheckpoint_andSaysSo() throws IOException {
        TestCheckpoints.complete(checkpoints.resolve(JOB).resolve("chk-7"), 7);
        Path latest = TestCheckpoints.complete(checkpoints.resolve(JOB).resolve("chk-8"), 8);
        Files.createDirectories(checkpoints.resolve(JOB).resolve("chk-9"));

        assertThat(CurationJobMain.failoverCheckpoint(out, checkpoints.toUri(), JOB).map(Path::of)).contains(latest);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("curation job " + JOB
                + " recovers after a job manager failover, from its latest complete checkpoint\n");
    }

    @Test
    void failoverCheckpoint_noCompleteCheckpoint_isEmpty_andSaysWhereItLooked() throws IOException {
        Files.createDirectories(checkpoints.resolve(JOB).resolve("chk-1"));

        assertThat(CurationJobMain.failoverCheckpoint(out, checkpoints.toUri(), JOB)).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(JOB, "no complete checkpoint in ",
                checkpoints.toString());
    }
}
