package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.demo.DemoOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void parse_noArguments_takesEveryDefaultFromDemoOptions() {
        DemoCommand command = new DemoCommand();
        new CommandLine(command).parseArgs();
        DemoOptions defaults = DemoOptions.builder().build();
        assertThat(command.seed).isEqualTo(defaults.seed());
        assertThat(command.out).isEqualTo(defaults.out());
        assertThat(command.comparisons).isEqualTo(defaults.comparisons());
        assertThat(command.judgements).isEqualTo(defaults.judgements());
        assertThat(command.emitAfterVotes).isEqualTo(defaults.emitAfterVotes());
        assertThat(command.sftSteps).isEqualTo(defaults.sftSteps());
        assertThat(command.dpoSteps).isEqualTo(defaults.dpoSteps());
        assertThat(command.beta).isEqualTo(defaults.beta());
        assertThat(command.dpoLearningRate).isEqualTo(defaults.dpoLearningRate());
        assertThat(command.evalTemperature).isEqualTo(defaults.evalTemperature());
        assertThat(command.jsonShare).isEqualTo(defaults.jsonShare());
        assertThat(command.bootstrap).isNull();
        assertThat(command.dashboardPort).isEqualTo(defaults.dashboardPort()).isZero();
        assertThat(command.noDashboard).isFalse();
    }

    @Test
    void help_showsTheDefaults() {
        StringWriter help = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setOut(new PrintWriter(help));
        cli.execute("--help");
        assertThat(help.toString()).contains("--dpo-steps", "(default: " + DemoOptions.builder().build().dpoSteps() + ")");
    }

    @Test
    void parse_badValue_isRefusedNamingTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--dpo-steps", "many");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--dpo-steps");
    }

    @Test
    void parse_iterations_isOffByDefaultAndMustBePositive() {
        DemoCommand command = new DemoCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.iterations).isNull();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--iterations", "0", "--no-dashboard")).isNotZero();
        assertThat(err.toString()).contains("--iterations must be >= 1");
    }
}
