package io.prefpipe.flink.cluster;

import io.prefpipe.flink.fs.Locations;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SnapshotStoreScenarios} on the local disk, through {@code file:} URIs. */
class LocalDiskCurationITCase extends SnapshotStoreScenarios {
    @TempDir
    static Path root;

    @Override
    URI location(String path) {
        return Locations.of(root.resolve(path.substring(1)));
    }
}
