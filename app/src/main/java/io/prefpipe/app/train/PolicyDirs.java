package io.prefpipe.app.train;

import io.prefpipe.optimizer.checkpoint.Checkpoint;
import io.prefpipe.optimizer.checkpoint.CheckpointManifest;
import io.prefpipe.optimizer.model.PolicyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI finds a policy: a model folder (prefpipe or Hugging Face GPT-2 layout) or a prefpipe checkpoint. */
public final class PolicyDirs {

    private PolicyDirs() {}

    /** Whether {@code dir} is a checkpoint written by prefpipe (a manifest beside a model folder). */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CheckpointManifest.FILE_NAME))
                && Files.isDirectory(dir.resolve(Checkpoint.MODEL_DIR));
    }

    /** Loads the policy in {@code dir}, a checkpoint's model or a model folder. */
    public static PolicyModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder: expected a policy (config.json and parameters, or a"
                    + " Hugging Face GPT-2 folder) or a prefpipe checkpoint");
        }
        return isCheckpoint(dir) ? Checkpoint.open(dir).loadPolicy() : PolicyModel.load(dir);
    }
}
