package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

class CurationJobTest {
    private static CurationJobConfig.Builder config() {
        return CurationJobConfig.builder().setBootstrapServers("127.0.0.1:1").setSnapshotDir(Path.of("s"))
                .setCheckpointInterval(Duration.ofSeconds(3));
    }

    @Test
    void localConfiguration_bounded_loopbackExactlyOnceNoRestartsNoKryo() {
        Configuration c = CurationJob.localConfiguration(config().build(), Path.of("/tmp/cp"));

        assertThat(c.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(c.get(TaskManagerOptions.HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(c.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(c.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///tmp/cp");
    }

    @Test
    void localConfiguration_unbounded_keepsFlinksRestartDefault() {
        Configuration c = CurationJob.localConfiguration(config().setBounded(false).build(), Path.of("/tmp/cp"));

        assertThat(c.getOptional(RestartStrategyOptions.RESTART_STRATEGY)).isEmpty();
    }

    @Test
    void run_unbounded_isRefused() {
        CurationJobConfig unbounded = config().setBounded(false).build();

        assertThatThrownBy(() -> CurationJob.run(unbounded, CurationProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bounded");
    }
}
