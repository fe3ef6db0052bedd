package io.prefpipe.optimizer.data;

import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.FileChecksums;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a curated snapshot: its {@link SnapshotManifest}, then exactly the Parquet files of {@code PreferencePair} it
 * lists, no others (part files still being written can sit in the same folder). Files are read through {@link
 * LocalInputFile}, without a Hadoop file system.
 *
 * <p>Each file must hold the number of rows the manifest says; with {@link Verification#ROW_COUNTS_AND_CHECKSUMS}
 * (the default) its size and SHA-256 must match too, so a checkpoint's lineage names exactly the bytes it trained on.
 * Stateless and thread-safe.
 */
public final class SnapshotReader {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);

    /** What is checked of each data file against the manifest. */
    public enum Verification {
        /** The number of records. */
        ROW_COUNTS,
        /** The number of records, the size in bytes and the SHA-256 of the bytes. */
        ROW_COUNTS_AND_CHECKSUMS
    }

    private final Verification verification;

    /** A reader that verifies row counts and checksums. */
    public SnapshotReader() {
        this(Verification.ROW_COUNTS_AND_CHECKSUMS);
    }

    public SnapshotReader(Verification verification) {
        this.verification = Objects.requireNonNull(verification, "verification");
    }

    /**
     * Reads the snapshot in {@code snapshotDir}; the examples come sorted by pair id, so that a training run over the
     * same snapshot is reproducible whatever order the files hold the rows in.
     *
     * @throws IOException naming the file, if the manifest or a listed file is missing or unreadable, or a file does
     *     not match the manifest
     */
    public PreferenceSnapshot read(Path snapshotDir) throws IOException {
        SnapshotManifest manifest = SnapshotManifest.read(snapshotDir);
        List<PreferenceExample> examples = new ArrayList<>();
        for (SnapshotFile file : manifest.files()) {
            Path path = snapshotDir.resolve(file.path());
            if (!Files.isRegularFile(path)) {
                throw new IOException("snapshot " + manifest.snapshotId() + " lists " + file.path()
                        + " but there is no such file in " + snapshotDir);
            }
            if (verification == Verification.ROW_COUNTS_AND_CHECKSUMS) {
                verifyBytes(path, file);
            }
            long rows = readPairs(path, examples);
            if (rows != file.rows()) {
                throw new IOException("snapshot file " + path + " has " + rows + " rows but the manifest of snapshot "
                        + manifest.snapshotId() + " says " + file.rows());
            }
        }
        // Row order in the files depends on how the stream interleaved partitions; training must not.
        examples.sort(Comparator.comparing(PreferenceExample::pairId));
        LOG.info("read snapshot {}: {} pairs from {} files", manifest.snapshotId(), examples.size(),
                manifest.files().size());
        return new PreferenceSnapshot(snapshotDir, manifest, examples);
    }

    private static long readPairs(Path path, List<PreferenceExample> into) throws IOException {
        long rows = 0;
        try (ParquetReader<PreferencePair> reader = AvroParquetReader
                .<PreferencePair>builder(new LocalInputFile(path), new PlainParquetConfiguration())
                // the class's own model carries the conversion of last_event_time to Instant
                .withDataModel(SpecificData.getForClass(PreferencePair.class))
                .build()) {
            for (PreferencePair pair = reader.read(); pair != null; pair = reader.read()) {
                into.add(PreferenceExample.from(pair));
                rows++;
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot read preference pairs from " + path + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static void verifyBytes(Path path, SnapshotFile file) throws IOException {
        long size = Files.size(path);
        if (size != file.bytes()) {
            throw new IOException("snapshot file " + path + " has " + size + " bytes but the manifest says "
                    + file.bytes());
        }
        String sha256 = FileChecksums.sha256(path);
        if (!sha256.equalsIgnoreCase(file.sha256())) {
            throw new IOException("snapshot file " + path + " has SHA-256 " + sha256 + " but the manifest says "
                    + file.sha256());
        }
    }
}
