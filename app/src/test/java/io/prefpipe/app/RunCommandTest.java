package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RunCommand());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).isNotZero();
        return err.toString();
    }

    @Test
    void run_missingConfig_namesTheFile() {
        assertThat(run("--config", tmp.resolve("nope.yaml").toString())).contains("nope.yaml does not exist");
    }

    @Test
    void run_wrongField_namesTheFileAndTheField() throws Exception {
        Path config = Files.writeString(tmp.resolve("loop.yaml"), """
                kafka: {bootstrap: 127.0.0.1:1}
                policy: {initial: p}
                schedule: {every-pairs: 0}
                """);
        assertThat(run("--config", config.toString())).contains(config + ": schedule.every-pairs: must be >= 1, got 0");
    }

    @Test
    void run_nonPositiveIterations_isRefusedBeforeAnythingStarts() throws Exception {
        Path config = Files.writeString(tmp.resolve("loop.yaml"), "kafka: {bootstrap: 127.0.0.1:1}\n"
                + "policy: {initial: p}\n");
        assertThat(run("--config", config.toString(), "--iterations", "0")).contains("--iterations must be >= 1");
    }
}
