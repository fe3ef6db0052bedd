package io.prefpipe.optimizer.checkpoint;

import io.prefpipe.optimizer.model.PolicyModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint folder: {@code model/} (the policy, see {@link PolicyModel#save(Path)}) and {@value
 * CheckpointManifest#FILE_NAME}.
 *
 * @param dir the checkpoint folder
 * @param manifest its manifest
 */
public record Checkpoint(Path dir, CheckpointManifest manifest) {

    /** Sub-folder of the policy. */
    public static final String MODEL_DIR = "model";

    public Checkpoint {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(manifest, "manifest");
    }

    /** Opens the checkpoint in {@code dir}, reading its manifest. */
    public static Checkpoint open(Path dir) throws IOException {
        return new Checkpoint(dir, CheckpointManifest.read(dir));
    }

    /** The folder of the policy. */
    public Path modelDir() {
        return dir.resolve(MODEL_DIR);
    }

    /** Loads the policy; the caller closes it. */
    public PolicyModel loadPolicy() throws IOException {
        return PolicyModel.load(modelDir());
    }
}
