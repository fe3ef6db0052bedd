package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path tmp;

    @Test
    void refusedValue_isOneLineNamingTheReason() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));

        int code = cli.execute("rso", "--input", tmp.resolve("in.jsonl").toString(), "--out",
                tmp.resolve("out.jsonl").toString(), "--n", "-3");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("prefpipe rso: ").contains("n").contains("PREFPIPE_STACKTRACE=1")
                .doesNotContain("Exception");
    }

    @Test
    void missingFile_isOneLineNamingTheFile() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));
        Path missing = tmp.resolve("missing.csv");

        int code = cli.execute("label", "--method", "mv", "--answers", missing.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("prefpipe label: no such file or folder: " + missing);
    }

    @Test
    void withStackTraces_theRefusalKeepsItsTrace() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(true).setErr(new PrintWriter(err, true));

        cli.execute("label", "--method", "mv", "--answers", tmp.resolve("missing.csv").toString());

        assertThat(err.toString()).contains("java.nio.file.NoSuchFileException").contains("\tat ");
    }
}
