package io.prefpipe.optimizer.checkpoint;

import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.OffsetRange;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The data a checkpoint was trained on, copied from the snapshot's manifest so the checkpoint stays traceable after
 * the snapshot folder is gone.
 *
 * @param snapshotId the snapshot's id
 * @param snapshotCreatedTime when the snapshot was cut
 * @param aggregator the label aggregator that decided its pairs
 * @param rows total pairs over all files
 * @param files its Parquet files with row counts, sizes and SHA-256
 * @param sources the Kafka offset ranges it covers
 */
public record SnapshotLineage(
        String snapshotId,
        Instant snapshotCreatedTime,
        String aggregator,
        long rows,
        List<SnapshotFile> files,
        List<OffsetRange> sources) {

    public SnapshotLineage {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(snapshotCreatedTime, "snapshotCreatedTime");
        Objects.requireNonNull(aggregator, "aggregator");
        files = List.copyOf(files);
        sources = List.copyOf(sources);
    }

    /** The lineage of a snapshot. */
    public static SnapshotLineage of(SnapshotManifest manifest) {
        return new SnapshotLineage(manifest.snapshotId(), manifest.createdTime(), manifest.aggregator(),
                manifest.totalRows(), manifest.files(), manifest.sources());
    }
}
