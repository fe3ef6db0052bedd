package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BenchCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--steps      | 40 | --steps must be odd and positive, so that the median is one step's time, got 40",
        "--steps      | -3 | --steps must be odd and positive",
        "--gemm-size  | 0  | --gemm-size and --gemm-runs >= 1",
        "--gemm-runs  | 0  | --gemm-size and --gemm-runs >= 1",
        "--warmups    | -1 | --warmups must be >= 0"})
    void train_refusesBadOptionsBeforeTimingAnything(String option, String value, String message) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "train", option, value)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
