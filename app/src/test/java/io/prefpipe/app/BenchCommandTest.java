package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void train_refusesAnEvenNumberOfStepsBeforeTimingAnything() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "train", "--steps", "40")).isEqualTo(2);
        assertThat(err.toString()).contains("--steps must be odd and positive", "got 40");
    }

    @Test
    void train_refusesAnEmptyGemm() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "train", "--gemm-size", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--gemm-size and --gemm-runs >= 1");
    }
}
