package io.prefpipe.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path against the embedded KRaft broker: runs everywhere, so the scenario is never only skipped. */
class EmbeddedPipelineITCase {
    @TempDir Path out;

    @Test
    void pipeline_onEmbeddedBroker_reconcilesAndTrains() throws Exception {
        PipelineScenario.runAndVerify(null, out);
    }
}
