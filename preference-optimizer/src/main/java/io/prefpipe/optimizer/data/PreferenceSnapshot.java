package io.prefpipe.optimizer.data;

import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot read into memory.
 *
 * @param dir the snapshot folder
 * @param manifest its manifest, the lineage a checkpoint records
 * @param examples its pairs, in manifest file order and then file order
 */
public record PreferenceSnapshot(Path dir, SnapshotManifest manifest, List<PreferenceExample> examples) {
    public PreferenceSnapshot {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(manifest, "manifest");
        examples = List.copyOf(examples);
    }
}
