package io.prefpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefpipe.flink.curate.CurationJobConfig;
import io.prefpipe.flink.curate.CurationJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CurateCommandTest {
    @Test
    void parse_onlyRequiredArguments_takesTheJobsDefaults() {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots");
        assertThat(command.aggregator).isEqualTo(CurationJobOptions.AGGREGATOR.defaultValue());
        assertThat(command.emitAfterVotes).isEqualTo(CurationJobOptions.EMIT_AFTER_VOTES.defaultValue());
        assertThat(command.windowVotes).isEqualTo(CurationJobOptions.ESTIMATOR_WINDOW_VOTES.defaultValue());
        assertThat(command.refitIntervalSeconds)
                .isEqualTo(CurationJobOptions.ESTIMATOR_REFIT_INTERVAL.defaultValue().toSeconds());
        assertThat(command.refitTimeShare).isEqualTo(CurationJobOptions.ESTIMATOR_MAX_TIME_SHARE.defaultValue());
        assertThat(command.ambiguityThreshold).isEqualTo(CurationJobOptions.AMBIGUITY_THRESHOLD.defaultValue());
        assertThat(command.groupId).isEqualTo(CurationJobOptions.GROUP_ID.defaultValue());
        assertThat(command.topics.feedback).isEqualTo("feedback");
        assertThat(command.jsonTopic).isEqualTo(CurationJobOptions.FEEDBACK_JSON_TOPIC.defaultValue());
    }

    @Test
    void config_withoutCheckpointDir_leavesItToATemporaryFolder() throws Exception {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots", "--bounded");

        assertThat(command.config().checkpointDir()).isNull();
    }

    @Test
    void config_flinkSettings_reachTheJobConfig() throws Exception {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots", "--bounded",
                "-D", "state.backend.type=rocksdb", "--flink-setting", "execution.checkpointing.incremental=true");

        assertThat(command.config().flinkSettings()).containsExactly(
                Map.entry("execution.checkpointing.incremental", "true"), Map.entry("state.backend.type", "rocksdb"));
    }

    @Test
    void config_savepointDirOfABoundedRun_isAParameterError() {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots", "--bounded",
                "--savepoint-dir", "savepoints");

        assertThatThrownBy(command::config).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--savepoint-dir is for a run without --bounded");
    }

    @Test
    void config_aFlinkSettingTheJobMakesItself_isAParameterErrorNamingIt() {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", "snapshots", "--bounded",
                "-D", "execution.checkpointing.mode=AT_LEAST_ONCE");

        assertThatThrownBy(command::config).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'execution.checkpointing.mode'");
    }

    @Test
    void config_resume_restoresFromTheNewestRetainedCheckpoint(@TempDir Path tmp) throws Exception {
        Path checkpoints = tmp.resolve("checkpoints");
        Files.createDirectories(checkpoints.resolve("job-a/chk-3"));
        Files.writeString(checkpoints.resolve("job-a/chk-3/_metadata"), "m");
        Files.createDirectories(checkpoints.resolve("job-b/chk-9"));
        Files.writeString(checkpoints.resolve("job-b/chk-9/_metadata"), "m");
        Files.setLastModifiedTime(checkpoints.resolve("job-a/chk-3/_metadata"), FileTime.fromMillis(1_000));
        // a checkpoint still being written has no _metadata yet
        Files.createDirectories(checkpoints.resolve("job-b/chk-10"));

        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", tmp.toString(), "--bounded",
                "--checkpoint-dir", checkpoints.toString(), "--resume", "--snapshot-id", "s1");
        CurationJobConfig config = command.config();

        assertThat(config.resumeFrom()).isEqualTo(checkpoints.resolve("job-b/chk-9"));
        assertThat(config.snapshotDir()).isEqualTo(tmp.resolve("s1"));
        assertThat(config.checkpointDir()).isEqualTo(checkpoints);
    }

    @Test
    void config_resumeWithoutCheckpointDir_isRefused(@TempDir Path tmp) {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", tmp.toString(), "--resume",
                "--snapshot-id", "s1");

        assertThatThrownBy(command::config).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--checkpoint-dir");
    }

    @Test
    void config_resumeWithNoCheckpoint_isRefused(@TempDir Path tmp) {
        CurateCommand command = new CurateCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--out", tmp.toString(), "--resume",
                "--snapshot-id", "s1", "--checkpoint-dir", tmp.resolve("empty").toString());

        assertThatThrownBy(command::config).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("no complete checkpoint");
    }
}
