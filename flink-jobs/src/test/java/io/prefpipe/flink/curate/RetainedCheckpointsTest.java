package io.prefpipe.flink.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RetainedCheckpointsTest {

    @Test
    void checkpointId_checkpointFolder_isTheNumberInItsName() {
        assertThat(RetainedCheckpoints.checkpointId(Path.of("/ckpt/job/chk-42"))).isEqualTo(42);
    }

    @Test
    void checkpointId_otherFolder_isRefused() {
        assertThatThrownBy(() -> RetainedCheckpoints.checkpointId(Path.of("/ckpt/savepoint-1a2b3c")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetainedCheckpoints.checkpointId(Path.of("/ckpt/xyz-12")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
