package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.loop.IterationRecord;
import io.prefpipe.app.loop.LoopConfig;
import io.prefpipe.app.loop.LoopConfigRecord;
import io.prefpipe.app.loop.LoopJournal;
import io.prefpipe.app.loop.LoopLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        return run(null, args);
    }

    /** Runs the command, which must fail (with {@code code}, unless null), and returns what it printed on stderr. */
    private String run(Integer code, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RunCommand());
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        assertThat(exit).isNotZero();
        if (code != null) {
            assertThat(exit).isEqualTo(code);
        }
        return err.toString();
    }

    /** A config of a loop in {@code tmp/loop} on a broker nobody listens on, with {@code yaml} appended. */
    private Path config(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("loop.yaml"), "dir: " + tmp.resolve("loop") + "\n"
                + "kafka: {bootstrap: 127.0.0.1:1}\npolicy: {initial: p}\n" + yaml);
    }

    @Test
    void run_loopFolderInUse_refusedAtOnceNamingTheFolderAndTheHolder() throws Exception {
        Path config = config("");
        LoopLock held = LoopLock.acquire(tmp.resolve("loop"));
        try {
            assertThat(run(RunCommand.REFUSED, "--config", config.toString()))
                    .contains("prefpipe run: the loop folder " + tmp.resolve("loop") + " is in use by pid "
                            + ProcessHandle.current().pid())
                    .contains("stop that process first");
        } finally {
            held.close();
        }
    }

    @Test
    void run_settingThatCountsChangedSinceTheLastRun_refusedNamingItBeforeAnythingStarts() throws Exception {
        Path config = config("optimize: {beta: 0.1}\n");
        LoopConfigRecord.reconcile(tmp.resolve("loop"), LoopConfig.load(config, Map.of()), false,
                Clock.systemUTC(), System.out);
        LoopJournal.open(tmp.resolve("loop")).record(IterationRecord.start(1, Instant.now(), null, null));

        String err = run(RunCommand.REFUSED, "--config", config("optimize: {beta: 0.2}\n").toString());

        assertThat(err).contains("optimize.beta: 0.1 -> 0.2").contains("--accept-config-change");
        // the refusal released the loop's lock
        try (LoopLock free = LoopLock.acquire(tmp.resolve("loop"))) {
            assertThat(free).isNotNull();
        }
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
