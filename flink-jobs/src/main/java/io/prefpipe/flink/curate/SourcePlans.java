package io.prefpipe.flink.curate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefpipe.flink.kafka.SourcePlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Keeps a run's {@link SourcePlan} in its snapshot folder as {@value #FILE_NAME}, so that a run resumed from a
 * checkpoint (in another process) reports the ranges the job was planned with: the restored Kafka source reads up to
 * the end offsets in its checkpointed splits, not to whatever the topic holds at resume time.
 */
final class SourcePlans {
    static final String FILE_NAME = "_source-plan.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SourcePlans() {}

    static void write(Path snapshotDir, SourcePlan plan) throws IOException {
        Path tmp = Files.createTempFile(snapshotDir, ".source-plan-", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), plan);
            Files.move(tmp, snapshotDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Optional<SourcePlan> read(Path snapshotDir) throws IOException {
        Path file = snapshotDir.resolve(FILE_NAME);
        return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), SourcePlan.class)) : Optional.empty();
    }
}
