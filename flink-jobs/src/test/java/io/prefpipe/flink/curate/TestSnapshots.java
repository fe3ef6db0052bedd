package io.prefpipe.flink.curate;

import io.prefpipe.schema.PreferencePair;
import io.prefpipe.snapshot.SnapshotManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Reads the pairs of a written snapshot for the integration tests. */
final class TestSnapshots {
    private TestSnapshots() {}

    /** Every pair in the files the snapshot's manifest lists. */
    static List<PreferencePair> readPairs(Path snapshotDir) throws Exception {
        List<PreferencePair> out = new ArrayList<>();
        for (SnapshotManifest.SnapshotFile f : SnapshotManifest.read(snapshotDir).files()) {
            out.addAll(readFile(snapshotDir.resolve(f.path())));
        }
        return out;
    }

    /** Every pair in one Parquet file. */
    static List<PreferencePair> readFile(Path file) throws Exception {
        List<PreferencePair> out = new ArrayList<>();
        try (ParquetReader<PreferencePair> reader = AvroParquetReader.<PreferencePair>builder(new LocalInputFile(file))
                .withDataModel(SpecificData.getForClass(PreferencePair.class))
                .build()) {
            for (PreferencePair p = reader.read(); p != null; p = reader.read()) {
                out.add(p);
            }
        }
        return out;
    }
}
