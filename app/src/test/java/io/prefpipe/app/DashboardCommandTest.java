package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DashboardCommandTest {

    @Test
    void parse_onlyBootstrap_watchesTheCurationJobsDefaultsOnAFixedPort() {
        DashboardCommand command = new DashboardCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092");

        assertThat(command.kafka.bootstrap).isEqualTo("127.0.0.1:9092");
        assertThat(command.port).isEqualTo(8088);
        assertThat(command.prefix).isEmpty();
        assertThat(command.groupId).isEqualTo("prefpipe-curate");
        assertThat(command.snapshots).isEqualTo(Path.of("prefpipe-out/snapshots"));
    }

    @Test
    void help_isReachableFromTheTopLevelCommand() {
        StringWriter help = new StringWriter();
        CommandLine cli = new CommandLine(new PrefpipeCommand());
        cli.setOut(new PrintWriter(help));

        assertThat(cli.execute("dashboard", "--help")).isZero();
        assertThat(help.toString()).contains("--topic-prefix", "--group-id", "/metrics");
    }
}
