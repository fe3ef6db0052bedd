package io.prefpipe.optimizer.data;

import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.FileChecksums;
import io.prefpipe.snapshot.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/** Writes small snapshots the way the curation job does: ZSTD Parquet files of PreferencePair plus a manifest. */
public final class SnapshotFixture {
    private SnapshotFixture() {}

    /** A pair with every required field set. */
    public static PreferencePair pair(String id, String prompt, String chosen, String rejected) {
        return PreferencePair.newBuilder()
                .setPairId(id)
                .setComparisonId("cmp-" + id)
                .setPrompt(prompt)
                .setChosenId(id + "-c")
                .setChosen(chosen)
                .setRejectedId(id + "-r")
                .setRejected(rejected)
                .setPChosen(0.75)
                .setVoteCount(4)
                .setAgreement(0.75)
                .setAggregator("mv")
                .setSourceEventIds(List.of("e1-" + id, "e2-" + id))
                .setLastEventTime(Instant.parse("2026-11-28T09:00:00Z"))
                .build();
    }

    /** Writes {@code pairs} to {@code dir/file} and describes the file as a manifest would. */
    public static SnapshotManifest.SnapshotFile writeFile(Path dir, String file, List<PreferencePair> pairs)
            throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        SpecificData model = SpecificData.getForClass(PreferencePair.class);
        try (ParquetWriter<PreferencePair> writer = AvroParquetWriter.<PreferencePair>builder(new LocalOutputFile(path))
                .withConf(new PlainParquetConfiguration())
                .withSchema(PreferencePair.getClassSchema())
                .withDataModel(model)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .build()) {
            for (PreferencePair pair : pairs) {
                writer.write(pair);
            }
        }
        return new SnapshotManifest.SnapshotFile(file, pairs.size(), Files.size(path), FileChecksums.sha256(path));
    }

    /** A manifest of {@code files} with two offset ranges. */
    public static SnapshotManifest manifest(String snapshotId, List<SnapshotManifest.SnapshotFile> files) {
        long rows = files.stream().mapToLong(SnapshotManifest.SnapshotFile::rows).sum();
        return new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, snapshotId, Instant.parse("2026-11-28T10:00:00Z"),
                "mv", files, List.of(new SnapshotManifest.OffsetRange("feedback", 0, 0, 40),
                        new SnapshotManifest.OffsetRange("feedback", 1, 5, 42)),
                new SnapshotManifest.Counts(2 * rows, 2 * rows, rows, Map.of(), Map.of()), Map.of());
    }

    /** Writes a snapshot of {@code pairs} split over files of at most {@code perFile} pairs. */
    public static SnapshotManifest write(Path dir, String snapshotId, List<PreferencePair> pairs, int perFile)
            throws IOException {
        List<SnapshotManifest.SnapshotFile> files = new ArrayList<>();
        for (int from = 0, part = 0; from < pairs.size(); from += perFile, part++) {
            files.add(writeFile(dir, "pairs/part-" + part + ".parquet",
                    pairs.subList(from, Math.min(pairs.size(), from + perFile))));
        }
        SnapshotManifest manifest = manifest(snapshotId, files);
        manifest.write(dir);
        return manifest;
    }
}
