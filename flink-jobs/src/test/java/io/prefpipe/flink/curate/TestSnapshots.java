package io.prefpipe.flink.curate;

import io.prefpipe.flink.parquet.TestPairs;
import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the pairs of a written snapshot for the integration tests. */
final class TestSnapshots {
    private TestSnapshots() {}

    /** Every pair in the files the snapshot's manifest lists. */
    static List<PreferencePair> readPairs(Path snapshotDir) throws Exception {
        List<PreferencePair> out = new ArrayList<>();
        for (SnapshotManifest.SnapshotFile f : SnapshotManifest.read(snapshotDir).files()) {
            out.addAll(TestPairs.read(snapshotDir.resolve(f.path())));
        }
        return out;
    }
}
