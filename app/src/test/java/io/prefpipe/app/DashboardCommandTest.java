package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefpipe.app.monitor.MonitorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DashboardCommandTest {

    @Test
    void parse_onlyBootstrap_watchesTheCurationJobsDefaultsOnAFixedPort() {
        DashboardCommand command = new DashboardCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092");

        assertThat(command.kafka.bootstrap).isEqualTo("127.0.0.1:9092");
        assertThat(command.port).isEqualTo(8088);
        MonitorConfig config = command.watched.toConfig(command.kafka.bootstrap);
        assertThat(config.feedbackTopic()).isEqualTo("feedback");
        assertThat(config.checkpointsTopic()).isEqualTo("checkpoints");
        assertThat(config.curationGroupId()).isEqualTo("prefpipe-curate");
        assertThat(config.snapshotsDir()).isEqualTo(Path.of("prefpipe-out/snapshots"));
        assertThat(config.readBack()).as("the topics from their beginning").isNull();
    }

    @Test
    void parse_since_readsBackThatLong_inEitherForm() {
        for (String since : List.of("36h", "PT36H")) {
            DashboardCommand command = new DashboardCommand();
            new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--since", since);
            assertThat(command.watched.toConfig(command.kafka.bootstrap).readBack()).isEqualTo(Duration.ofHours(36));
        }
    }

    @Test
    void since_notAPositiveDuration_refusedNamingTheOption() {
        for (String since : List.of("0s", "yesterday", "-PT1H")) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new PrefpipeCommand());
            cli.setErr(new PrintWriter(err));

            assertThat(cli.execute("dashboard", "--since", since)).as(since).isNotZero();
            assertThat(err.toString()).contains("--since", since);
        }
    }

    @Test
    void parse_topicPrefix_prefixesEveryTopic() {
        DashboardCommand command = new DashboardCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--topic-prefix", "run-7.");
        MonitorConfig config = command.watched.toConfig(command.kafka.bootstrap);
        assertThat(List.of(config.feedbackTopic(), config.feedbackJsonTopic(), config.deadLetterTopic(),
                config.pairsTopic(), config.annotatorsTopic(), config.checkpointsTopic()))
                .allMatch(topic -> topic.startsWith("run-7."));
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
