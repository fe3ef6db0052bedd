package io.prefpipe.flink.snapshot;

import io.prefpipe.flink.parquet.ParquetFooters;
import io.prefpipe.snapshot.FileChecksums;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and describes the committed Parquet files of a snapshot folder.
 *
 * <p>Flink's file sink writes a part file under a hidden name ({@code .pairs-...inprogress...}) and renames it to its
 * final name only when the checkpoint that covers it completes, so a file whose name starts with a dot is never part
 * of the snapshot.
 */
public final class SnapshotFiles {
    /** Suffix of the data files. */
    public static final String PARQUET_SUFFIX = ".parquet";

    private SnapshotFiles() {}

    /** The committed Parquet files anywhere under {@code snapshotDir}, sorted by path, with rows, size and SHA-256. */
    public static List<SnapshotFile> committed(Path snapshotDir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(snapshotDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> isCommittedDataFile(snapshotDir.relativize(p)))
                    .sorted()
                    .toList();
        }
        return describe(snapshotDir, files);
    }

    /**
     * The committed Parquet files directly in {@code dir}, not in its sub-folders, sorted by name, with rows, size and
     * SHA-256. For a folder a running job writes into: its sub-folders (a ledger, cuts) change while they are read, and
     * walking them could meet a folder just deleted.
     */
    public static List<SnapshotFile> committedIn(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> isCommittedDataFile(p.getFileName()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        return describe(dir, files);
    }

    private static List<SnapshotFile> describe(Path snapshotDir, List<Path> files) throws IOException {
        List<SnapshotFile> out = new ArrayList<>(files.size());
        for (Path f : files) {
            String relative = snapshotDir.relativize(f).toString().replace('\\', '/');
            out.add(new SnapshotFile(relative, ParquetFooters.rowCount(f), Files.size(f), FileChecksums.sha256(f)));
        }
        return out;
    }

    /** Whether any element of the relative path is hidden, which marks in-progress and pending part files. */
    private static boolean isCommittedDataFile(Path relative) {
        for (Path element : relative) {
            if (element.toString().startsWith(".")) {
                return false;
            }
        }
        return relative.getFileName().toString().endsWith(PARQUET_SUFFIX);
    }
}
