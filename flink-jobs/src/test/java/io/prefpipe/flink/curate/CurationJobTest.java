package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

class CurationJobTest {
    private static CurationJobConfig.Builder config() {
        return CurationJobConfig.builder().setBootstrapServers("127.0.0.1:1").setSnapshotDir(Path.of("s"))
                .setCheckpointInterval(Duration.ofSeconds(3));
    }

    @Test
    void localConfiguration_bounded_loopbackExactlyOnceRestartsFromCheckpointsNoKryo() {
        Configuration c = CurationJob.localConfiguration(config().build(), Path.of("/tmp/cp"));

        assertThat(c.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(c.get(TaskManagerOptions.HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(c.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(CurationJobOptions.RESTART_ATTEMPTS.defaultValue());
        assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(c.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(CurationJob.MAX_PARALLELISM);
        assertThat(c.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
        assertThat(c.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///tmp/cp");
    }

    @Test
    void localConfiguration_resumeFrom_restoresThatCheckpointWithTheConfiguredRestarts() {
        Configuration c = CurationJob.localConfiguration(config().setBounded(false).setRestartAttempts(7)
                .setRestartDelay(Duration.ofMillis(250)).setResumeFrom(Path.of("/tmp/cp/job/chk-4")).build(),
                Path.of("/tmp/cp"));

        assertThat(c.get(StateRecoveryOptions.SAVEPOINT_PATH)).startsWith("file:///tmp/cp/job/chk-4");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(7);
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void localConfiguration_flinkSettings_reachTheMiniCluster() {
        Configuration c = CurationJob.localConfiguration(config().setFlinkSetting("state.backend.type", "rocksdb")
                .setFlinkSetting("execution.checkpointing.incremental", "true").build(), Path.of("/tmp/cp"));

        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void localConfiguration_aFlinkSettingTheJobSetsItself_isRefusedByKey() {
        CurationJobConfig atLeastOnce = config()
                .setFlinkSetting("execution.checkpointing.mode", "AT_LEAST_ONCE").build();

        assertThatThrownBy(() -> CurationJob.localConfiguration(atLeastOnce, Path.of("/tmp/cp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'execution.checkpointing.mode'");
    }

    @Test
    void run_unbounded_isRefused() {
        CurationJobConfig unbounded = config().setBounded(false).build();

        assertThatThrownBy(() -> CurationJob.run(unbounded, CurationProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bounded");
    }
}
