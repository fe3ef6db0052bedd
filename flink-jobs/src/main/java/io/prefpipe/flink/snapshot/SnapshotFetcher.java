package io.prefpipe.flink.snapshot;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import io.prefpipe.snapshot.FileChecksums;
import io.prefpipe.snapshot.SnapshotManifest;
import io.prefpipe.snapshot.SnapshotManifest.SnapshotFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.core.fs.Path;

/**
 * Copies a snapshot from any file system Flink reaches (S3, HDFS, or a local folder) into a local folder, by its
 * manifest: only the files the manifest names, each checked against the size and SHA-256 the manifest records while it
 * streams. The copy is assembled in a hidden folder beside the destination and renamed into place when complete, so a
 * destination either holds the whole snapshot or does not exist; an interrupted fetch leaves no snapshot that loads.
 * Fetching again into a destination that already holds the same manifest copies nothing, and two fetches of one
 * snapshot into one destination at once both succeed, the later one discarding its copy.
 */
public final class SnapshotFetcher {
    /** What one fetch did. */
    public record Fetched(java.nio.file.Path folder, SnapshotManifest manifest, long filesCopied, long bytesCopied) {}

    private final Consumer<String> progress;

    /** @param progress told about each file as it is copied */
    public SnapshotFetcher(Consumer<String> progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Copies the snapshot at {@code snapshot} (its folder, which holds {@value SnapshotManifest#FILE_NAME}) to
     * {@code destination}.
     *
     * @throws IOException if the manifest cannot be read, a file is missing or differs from the manifest (named, with
     *     the expected and found size or checksum), or {@code destination} exists and holds something else
     */
    public Fetched fetch(URI snapshot, java.nio.file.Path destination) throws IOException {
        Path source = new Path(snapshot);
        Path manifestFile = new Path(source, SnapshotManifest.FILE_NAME);
        if (!FlinkFiles.exists(manifestFile)) {
            throw new IOException("no snapshot manifest at " + Locations.display(manifestFile.toUri())
                    + ": a snapshot is a folder with " + SnapshotManifest.FILE_NAME);
        }
        SnapshotManifest manifest = SnapshotFiles.readManifest(manifestFile);
        if (holds(destination, manifest)) {
            return new Fetched(destination, manifest, 0, 0);
        }
        if (Files.exists(destination)) {
            throw new IOException(destination + " exists and does not hold snapshot " + manifest.snapshotId()
                    + "; fetch into a new folder");
        }
        java.nio.file.Path parent = destination.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        java.nio.file.Path partial = parent.resolve("." + destination.getFileName() + "." + UUID.randomUUID()
                + ".partial");
        try {
            long bytes = 0;
            int n = 0;
            for (SnapshotFile file : manifest.files()) {
                n++;
                progress.accept(String.format(Locale.ROOT, "  %d/%d %s (%,d bytes)", n,
                        manifest.files().size(), file.path(), file.bytes()));
                bytes += copy(new Path(source, file.path()), partial.resolve(file.path()), file);
            }
            manifest.write(partial);
            if (!moveIntoPlace(partial, destination, manifest)) {
                return new Fetched(destination, manifest, 0, 0);
            }
            return new Fetched(destination, manifest, manifest.files().size(), bytes);
        } finally {
            FlinkFiles.deleteRecursively(new Path(partial.toUri()));
        }
    }

    /** Copies one file, checking its size and SHA-256 against the manifest's entry; returns the bytes copied. */
    private static long copy(Path from, java.nio.file.Path to, SnapshotFile expected) throws IOException {
        if (!FlinkFiles.exists(from)) {
            throw new IOException("snapshot file " + expected.path() + " is missing at "
                    + Locations.display(from.toUri()));
        }
        Files.createDirectories(to.getParent());
        long bytes;
        try (InputStream in = from.getFileSystem().open(from); OutputStream out = Files.newOutputStream(to)) {
            bytes = in.transferTo(out);
        }
        if (bytes != expected.bytes()) {
            throw new IOException("snapshot file " + expected.path() + " has " + bytes + " bytes, the manifest says "
                    + expected.bytes());
        }
        String sha256 = FileChecksums.sha256(to);
        if (!sha256.equals(expected.sha256())) {
            throw new IOException("snapshot file " + expected.path() + " has SHA-256 " + sha256 + ", the manifest says "
                    + expected.sha256());
        }
        return bytes;
    }

    /**
     * Renames the complete copy into place. Another process fetching the same snapshot to the same folder (two commands
     * on one cached cut) may have got there first: if the folder now holds the same manifest, its copy is as good and
     * this one is discarded; returns whether this copy was moved.
     */
    private static boolean moveIntoPlace(java.nio.file.Path partial, java.nio.file.Path destination,
            SnapshotManifest manifest) throws IOException {
        try {
            Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move the fetched snapshot into " + destination + " atomically", e);
        } catch (FileSystemException e) {
            // Linux reports a non-empty destination as a bare FileSystemException (ENOTEMPTY), not a subclass
            if (!Files.exists(destination)) {
                throw e;
            }
            if (holds(destination, manifest)) {
                return false;
            }
            throw new IOException(destination + " appeared while fetching and does not hold snapshot "
                    + manifest.snapshotId() + "; fetch into a new folder", e);
        }
    }

    /** Whether {@code folder} holds a fetched snapshot with this manifest (a fetch renames only complete copies in). */
    private static boolean holds(java.nio.file.Path folder, SnapshotManifest manifest) throws IOException {
        return Files.exists(folder.resolve(SnapshotManifest.FILE_NAME))
                && SnapshotManifest.read(folder).equals(manifest);
    }
}
