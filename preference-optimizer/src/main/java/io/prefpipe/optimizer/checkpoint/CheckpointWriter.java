package io.prefpipe.optimizer.checkpoint;

import io.prefpipe.optimizer.internal.AtomicFiles;
import io.prefpipe.optimizer.model.PolicyModel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoints under a root folder, atomically ({@link AtomicFiles#writeDirectory}): everything goes into a
 * hidden sibling folder ({@code .<id>.tmp-*}), which is renamed to {@code <id>} only when complete. Readers (and a
 * crash) see either no checkpoint or a whole one, never a folder without its manifest or with half its parameters. A
 * failed write removes its temporary folder.
 */
public final class CheckpointWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

    private final Path root;

    /** Writes checkpoints as sub-folders of {@code root}, created when missing. */
    public CheckpointWriter(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Writes {@code policy} and {@code manifest} as {@code root/<checkpointId>}.
     *
     * @throws FileAlreadyExistsException if that checkpoint exists: ids are never reused
     * @throws IllegalArgumentException if the manifest describes another policy shape
     * @throws IOException if writing fails; nothing is left behind
     */
    public Checkpoint write(PolicyModel policy, CheckpointManifest manifest) throws IOException {
        if (!manifest.policy().equals(policy.config())) {
            throw new IllegalArgumentException("manifest describes policy " + manifest.policy() + " but the policy is "
                    + policy.config());
        }
        Path target = root.resolve(manifest.checkpointId());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "checkpoint ids are never reused");
        }
        AtomicFiles.writeDirectory(target, dir -> {
            policy.save(dir.resolve(Checkpoint.MODEL_DIR));
            manifest.write(dir);
        });
        LOG.info("wrote checkpoint {} trained on snapshot {} to {}", manifest.checkpointId(),
                manifest.lineage().snapshotId(), target);
        return new Checkpoint(target, manifest);
    }
}
