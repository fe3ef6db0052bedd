package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SnapshotInputTest {
    @TempDir
    Path dir;

    @Test
    void cacheFolder_mirrorsSchemeBucketAndPath() {
        Path folder = SnapshotInput.cacheFolder(dir, URI.create("s3://bucket/snapshots/live/cuts/c1"));

        assertThat(folder).isEqualTo(dir.resolve("snapshots/s3/bucket/snapshots/live/cuts/c1").toAbsolutePath());
    }

    @Test
    void cacheFolder_otherBucketSamePath_otherFolder() {
        assertThat(SnapshotInput.cacheFolder(dir, URI.create("s3://a/cuts/c1")))
                .isNotEqualTo(SnapshotInput.cacheFolder(dir, URI.create("s3://b/cuts/c1")));
    }

    @Test
    void cacheFolder_pathLeavingTheCache_refused() {
        assertThatThrownBy(() -> SnapshotInput.cacheFolder(dir, URI.create("s3://b/../../../etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give --fetch-to");
    }

    @Test
    void localFolder_localSnapshot_isReadWhereItIsWithoutFetching() throws Exception {
        SnapshotInput input = new SnapshotInput();
        new CommandLine(new Object() {
            @CommandLine.Mixin SnapshotInput mixin = input;
        }).parseArgs("--fetch-to", dir.resolve("copy").toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Path folder = input.localFolder("--snapshot", dir.resolve("snap").toString(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(folder).isEqualTo(dir.resolve("snap").toAbsolutePath());
        assertThat(dir.resolve("copy")).doesNotExist();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
