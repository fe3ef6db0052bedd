package io.prefpipe.flink.curate;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/** Checkpoint folders as Flink leaves them, for tests of what reads them. */
public final class TestCheckpoints {
    private TestCheckpoints() {}

    /** Makes {@code dir} a complete checkpoint (or savepoint) of id {@code checkpointId}: its {@code _metadata}. */
    public static Path complete(Path dir, long checkpointId) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(checkpointId, List.of(), List.of()),
                    new DataOutputStream(out));
        }
        return dir;
    }
}
