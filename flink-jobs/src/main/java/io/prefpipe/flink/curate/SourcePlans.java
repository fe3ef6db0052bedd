package io.prefpipe.flink.curate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.kafka.SourcePlan;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.fs.Path;

/**
 * Keeps a run's {@link SourcePlan} in its snapshot folder as {@value #FILE_NAME}, so that a run resumed from a
 * checkpoint (in another process) reports the ranges the job was planned with: the restored Kafka source reads up to
 * the end offsets in its checkpointed splits, not to whatever the topic holds at resume time.
 */
final class SourcePlans {
    static final String FILE_NAME = "_source-plan.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private SourcePlans() {}

    static void write(Path snapshotDir, SourcePlan plan) throws IOException {
        FlinkFiles.writeAtomically(new Path(snapshotDir, FILE_NAME), out -> JSON.writeValue(out, plan));
    }

    static Optional<SourcePlan> read(Path snapshotDir) throws IOException {
        Path file = new Path(snapshotDir, FILE_NAME);
        return FlinkFiles.exists(file)
                ? Optional.of(FlinkFiles.read(file, in -> JSON.readValue(in, SourcePlan.class)))
                : Optional.empty();
    }
}
