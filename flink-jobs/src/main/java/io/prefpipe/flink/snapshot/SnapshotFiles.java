package io.prefpipe.flink.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.flink.parquet.ParquetFooters;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * Finds and describes the committed Parquet files of a snapshot folder, on any Flink file system.
 *
 * <p>Flink's file sink writes a part file under a hidden name ({@code .pairs-...inprogress...}) and renames it to its
 * final name only when the checkpoint that covers it completes, so a file whose name starts with a dot is never part
 * of the snapshot. (On object stores an in-progress part is a multipart upload, which no listing shows at all.)
 */
public final class SnapshotFiles {
    /** Suffix of the data files. */
    public static final String PARQUET_SUFFIX = ".parquet";

    private SnapshotFiles() {}

    /** A {@value SnapshotManifest#FILE_NAME} that holds JSON, but not a snapshot's manifest (a checkpoint's, say). */
    public static final class NotASnapshotManifestException extends IOException {
        private static final long serialVersionUID = 1L;

        NotASnapshotManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads the snapshot manifest {@code file}, on any Flink file system.
     *
     * @throws NotASnapshotManifestException naming the file and what is wrong, if it is not a snapshot manifest
     */
    public static SnapshotManifest readManifest(Path file) throws IOException {
        try {
            return FlinkFiles.read(file, SnapshotManifest::fromJson);
        } catch (JsonProcessingException e) {
            throw new NotASnapshotManifestException(Locations.display(file.toUri()) + " is not a snapshot manifest: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@link #committed(Path)} of a local folder. */
    public static List<SnapshotFile> committed(java.nio.file.Path snapshotDir) throws IOException {
        return committed(new Path(snapshotDir.toUri()));
    }

    /**
     * The committed Parquet files anywhere under {@code snapshotDir} (hidden folders left out), sorted by relative
     * path, with rows, size and SHA-256; empty if the folder does not exist.
     */
    public static List<SnapshotFile> committed(Path snapshotDir) throws IOException {
        List<SnapshotFile> out = new ArrayList<>();
        collect(snapshotDir, "", out);
        out.sort(Comparator.comparing(SnapshotFile::path));
        return out;
    }

    /** {@link #committedIn(Path)} of a local folder. */
    public static List<SnapshotFile> committedIn(java.nio.file.Path dir) throws IOException {
        return committedIn(new Path(dir.toUri()));
    }

    /**
     * The committed Parquet files directly in {@code dir}, not in its sub-folders, sorted by name, with rows, size and
     * SHA-256. For a folder a running job writes into: its sub-folders (a ledger, cuts) change while they are read, and
     * walking them could meet a folder just deleted.
     */
    public static List<SnapshotFile> committedIn(Path dir) throws IOException {
        return committedIn(dir, Map.of());
    }

    /**
     * {@link #committedIn(Path)}, describing a file by its entry in {@code known} (by name) instead of reading it
     * again when its size is the same. Committed files never change, so a folder a job has written into for months
     * is read once, not at every look.
     */
    public static List<SnapshotFile> committedIn(Path dir, Map<String, SnapshotFile> known) throws IOException {
        List<SnapshotFile> out = new ArrayList<>();
        for (FileStatus s : FlinkFiles.list(dir)) {
            String name = s.getPath().getName();
            if (!s.isDir() && !name.startsWith(".") && name.endsWith(PARQUET_SUFFIX)) {
                SnapshotFile seen = known.get(name);
                out.add(seen != null && seen.bytes() == s.getLen() ? seen : describe(name, s));
            }
        }
        out.sort(Comparator.comparing(SnapshotFile::path));
        return out;
    }

    private static void collect(Path dir, String prefix, List<SnapshotFile> out) throws IOException {
        for (FileStatus s : FlinkFiles.list(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (s.isDir()) {
                collect(s.getPath(), prefix + name + "/", out);
            } else if (name.endsWith(PARQUET_SUFFIX)) {
                out.add(describe(prefix + name, s));
            }
        }
    }

    private static SnapshotFile describe(String relativePath, FileStatus s) throws IOException {
        return new SnapshotFile(relativePath, ParquetFooters.rowCount(s.getPath()), s.getLen(),
                FlinkFiles.sha256(s.getPath()));
    }
}
