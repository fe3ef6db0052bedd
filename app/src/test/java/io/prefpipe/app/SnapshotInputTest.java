package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SnapshotInputTest {
    @TempDir
    Path dir;

    @Test
    void open_localSnapshot_isReadWhereItIsWithoutFetching() throws Exception {
        SnapshotInput input = new SnapshotInput();
        new CommandLine(new Object() {
            @CommandLine.Mixin SnapshotInput mixin = input;
        }).parseArgs("--fetch-to", dir.resolve("copy").toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Path folder;
        try (SnapshotInput.LocalSnapshot local = input.open("--snapshot", dir.resolve("snap").toString(),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            folder = local.folder();
        }

        assertThat(folder).isEqualTo(dir.resolve("snap").toAbsolutePath());
        assertThat(dir.resolve("copy")).doesNotExist();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
