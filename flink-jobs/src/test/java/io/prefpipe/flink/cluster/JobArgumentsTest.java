package io.prefpipe.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import io.prefpipe.flink.fs.ForeignSchemeFileSystem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobArgumentsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:30:05Z");

    @TempDir
    Path tmp;

    @Test
    void parse_shortNames_giveBootstrapAndASnapshotFolderNamedByTime() {
        JobArguments a = JobArguments.parse(NOW, "--bootstrap", "kafka-1:9092,kafka-2:9092",
                "--snapshots", "s3://bucket/snapshots");

        CurationJobConfig config = CurationJobOptions.toConfig(a.options());
        assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.snapshotLocation()).isEqualTo(URI.create("s3://bucket/snapshots/snapshot-20260301-123005"));
        assertThat(config.snapshotId()).isEqualTo("snapshot-20260301-123005");
        assertThat(a.checkpointDir()).isEmpty();
        assertThat(a.resumeFrom()).isEmpty();
    }

    @Test
    void parse_yamlFile_nestedKeysJoinWithDotsAndTheCommandLineWins() throws Exception {
        Path file = tmp.resolve("curate.yaml");
        Files.writeString(file, """
                bootstrap-servers: kafka:9092
                snapshots: hdfs://namenode:8020/prefpipe/snapshots
                snapshot-id: live
                bounded: false
                parallelism: 8
                checkpoint-interval: 30 s
                checkpoint-dir: s3://bucket/checkpoints
                estimator:
                  window-votes: 50000
                  refit-every-votes: 1000
                """);

        JobArguments a = JobArguments.parse(NOW, "--config", file.toString(), "--parallelism", "4",
                "--pairs-topic", "pairs.v2");

        CurationJobConfig config = CurationJobOptions.toConfig(a.options());
        assertThat(config.snapshotLocation()).isEqualTo(URI.create("hdfs://namenode:8020/prefpipe/snapshots/live"));
        assertThat(config.bounded()).isFalse();
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.estimatorWindowVotes()).isEqualTo(50_000);
        assertThat(config.estimatorRefitEveryVotes()).isEqualTo(1_000);
        assertThat(config.pairsTopic()).isEqualTo("pairs.v2");
        assertThat(a.checkpointDir()).contains(URI.create("s3://bucket/checkpoints"));
    }

    @Test
    void parse_propertiesFileOnAnotherFileSystem_isReadThroughFlink() throws Exception {
        String name = "job-arguments-test/" + tmp.getFileName() + "/curate.properties";
        Path local = ForeignSchemeFileSystem.root().resolve(name);
        Files.createDirectories(local.getParent());
        Files.writeString(local, "bootstrap = kafka:9092\nsnapshot-dir = s3://bucket/s/one\nbounded = true\n");

        JobArguments a = JobArguments.parse(NOW, "--config", ForeignSchemeFileSystem.uri(name).toString(),
                "--resume-from", "s3://bucket/savepoints/savepoint-1");

        CurationJobConfig config = CurationJobOptions.toConfig(a.options());
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.snapshotLocation()).isEqualTo(URI.create("s3://bucket/s/one"));
        assertThat(config.snapshotId()).isEqualTo("one");
        assertThat(a.resumeFrom()).contains(URI.create("s3://bucket/savepoints/savepoint-1"));
    }

    @Test
    void parse_booleanOptionWithoutValue_isTrue() {
        JobArguments a = JobArguments.parse(NOW, "--bootstrap", "k:1", "--snapshots", "/data", "--bounded",
                "--create-missing-topics", "false");

        assertThat(a.options()).containsEntry("bounded", "true").containsEntry("create-missing-topics", "false");
    }

    @Test
    void parse_unknownOption_isNamed() {
        assertThatThrownBy(() -> JobArguments.parse(NOW, "--bootstrap-server", "k:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-server")
                .hasMessageEndingWith("(see --help)");
    }

    @Test
    void parse_unknownKeyInFile_isNamedWithTheFile() throws Exception {
        Path file = tmp.resolve("curate.properties");
        Files.writeString(file, "bootstrap=k:1\nsnapshots=/data\nparalelism=4\n");

        assertThatThrownBy(() -> JobArguments.parse(NOW, "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option 'paralelism' in config file " + file);
    }

    @Test
    void parse_missingConfigFile_isNamed() {
        Path file = tmp.resolve("absent.yaml");

        assertThatThrownBy(() -> JobArguments.parse(NOW, "--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config file " + file + " cannot be read");
    }

    @Test
    void parse_noSnapshotFolder_isNamed() {
        assertThatThrownBy(() -> JobArguments.parse(NOW, "--bootstrap", "k:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("snapshots is required");
    }

    @Test
    void parse_snapshotFolderGivenTwice_isRejected() {
        assertThatThrownBy(() -> JobArguments.parse(NOW, "--snapshots", "/a", "--snapshot-dir", "/a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("give snapshots");
    }

    @Test
    void parse_unboundedWithoutSnapshotId_isRejectedWithTheReason() {
        assertThatThrownBy(() -> JobArguments.parse(NOW, "--bootstrap", "k:1", "--snapshots", "/a",
                "--bounded", "false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("snapshot-id is required with snapshots when bounded is false");
    }

    @Test
    void parse_invalidValue_isNamedWhenTheConfigIsBuilt() {
        JobArguments a = JobArguments.parse(NOW, "--bootstrap", "k:1", "--snapshots", "/a", "--parallelism", "0");

        assertThatThrownBy(() -> CurationJobOptions.toConfig(a.options()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be >= 1, got 0");
    }

    @Test
    void parse_help_listsEveryOptionWithItsDefault() {
        assertThat(JobArguments.parse(NOW, "--help").help()).isTrue();

        String usage = JobArguments.usage();
        CurationJobOptions.all().forEach(o -> assertThat(usage).contains("--" + o.key()));
        assertThat(usage).contains("--bootstrap", "--snapshots", "--config", "Default: 10 s");
    }
}
