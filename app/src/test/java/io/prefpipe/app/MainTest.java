package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.kafka.common.errors.TimeoutException;
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
    void kafkaTimeoutAmongTheCauses_isOneLineWithAHint() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));
        CommandLine ingest = cli.getSubcommands().get("ingest");
        Exception e = new IllegalStateException("cannot create topics [feedback] on 127.0.0.1:1",
                new TimeoutException("Timed out waiting for a node assignment. Call: listTopics"));

        int code = new Main.RefusedInput().handleExecutionException(e, ingest, null);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("prefpipe ingest: cannot create topics [feedback] on 127.0.0.1:1; Timed out waiting")
                .contains("is a broker running there?");
    }

    @Test
    void otherFault_keepsItsStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(false).setErr(new PrintWriter(err, true));
        Exception fault = new IllegalStateException("a bug");

        assertThatThrownBy(() -> new Main.RefusedInput().handleExecutionException(fault, cli, null))
                .isSameAs(fault);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void help_keepsEachDescriptionLineWhole() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine(false).setOut(new PrintWriter(out, true));

        cli.execute("ingest", "--help");

        assertThat(out.toString()).contains(
                "Parses a JSONL file (plain or gzip) of feedback, validates each line and produces valid events as Avro to"
                        + System.lineSeparator());
    }

    @Test
    void withStackTraces_theRefusalKeepsItsTrace() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(true).setErr(new PrintWriter(err, true));

        cli.execute("label", "--method", "mv", "--answers", tmp.resolve("missing.csv").toString());

        assertThat(err.toString()).contains("java.nio.file.NoSuchFileException").contains("\tat ");
    }
}
