package io.prefpipe.flink.fs;

import io.prefpipe.snapshot.FileChecksums;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * The few file operations snapshots need, on any Flink {@link FileSystem}. Object stores have no real folders: a
 * folder exists while something is under it, and creating one may do nothing, so nothing here relies on empty folders.
 */
public final class FlinkFiles {
    private FlinkFiles() {}

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Reads a file's content. */
    @FunctionalInterface
    public interface Reader<T> {
        T readFrom(InputStream in) throws IOException;
    }

    /**
     * Writes {@code file} so that readers see either no file (or the previous one) or the whole new one: the content
     * goes to a hidden file beside it, which is then renamed. File systems whose rename does not replace (HDFS) get
     * the old file deleted first, whether their rename says so by returning false (HDFS) or by throwing (S3A); on
     * object stores a rename is a copy, which still appears whole.
     */
    public static void writeAtomically(Path file, Content content) throws IOException {
        FileSystem fs = file.getFileSystem();
        Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, WriteMode.NO_OVERWRITE)) {
                content.writeTo(out);
            }
            if (!renameUnlessExists(fs, tmp, file)) {
                fs.delete(file, false);
                if (!fs.rename(tmp, file)) {
                    throw new IOException("cannot rename " + tmp + " to " + file);
                }
            }
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Renames {@code src} to {@code dst}; false if it did not because {@code dst} exists. A plugin's exception for that
     * (S3A's {@code FileAlreadyExistsException}) is a class of the plugin's own class loader, so it is told by the
     * destination's existence, not by its type.
     */
    private static boolean renameUnlessExists(FileSystem fs, Path src, Path dst) throws IOException {
        try {
            return fs.rename(src, dst);
        } catch (IOException e) {
            if (fs.exists(dst)) {
                return false;
            }
            throw e;
        }
    }

    /** Reads {@code file} with {@code reader}. */
    public static <T> T read(Path file, Reader<T> reader) throws IOException {
        try (FSDataInputStream in = file.getFileSystem().open(file)) {
            return reader.readFrom(in);
        }
    }

    public static boolean exists(Path path) throws IOException {
        return path.getFileSystem().exists(path);
    }

    /** What is directly in {@code dir}, sorted by name; empty if it does not exist. */
    public static List<FileStatus> list(Path dir) throws IOException {
        FileStatus[] statuses;
        try {
            statuses = dir.getFileSystem().listStatus(dir);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        if (statuses == null) {
            return List.of();
        }
        return Arrays.stream(statuses).sorted(Comparator.comparing(s -> s.getPath().getName())).toList();
    }

    /** Whether {@code dir} is absent or holds nothing. */
    public static boolean isAbsentOrEmpty(Path dir) throws IOException {
        return !exists(dir) || list(dir).isEmpty();
    }

    /** Creates {@code dir} and its parents where the file system has folders. */
    public static void mkdirs(Path dir) throws IOException {
        if (!dir.getFileSystem().mkdirs(dir)) {
            throw new IOException("cannot create folder " + dir);
        }
    }

    /**
     * Deletes a file or empty folder if it exists; a folder that is not empty stays, without an error. Safe while
     * others delete in the same folder: what is already gone counts as deleted.
     */
    public static void deleteIfExists(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            if (isFile(fs, path)) {
                throw e;
            }
            // absent by now, or a folder still in use: whoever empties it deletes it
        }
    }

    private static boolean isFile(FileSystem fs, Path path) throws IOException {
        try {
            // A local status asks the disk only when isDir() is called: a folder another writer deleted in between
            // reads as "not a folder", so a file must also still exist.
            return !fs.getFileStatus(path).isDir() && fs.exists(path);
        } catch (FileNotFoundException gone) {
            return false;
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteRecursively(Path dir) throws IOException {
        dir.getFileSystem().delete(dir, true);
    }

    /** Lower-case hex SHA-256 of the file's bytes, streamed (as {@link FileChecksums} computes it). */
    public static String sha256(Path file) throws IOException {
        return read(file, FileChecksums::sha256);
    }

    private static void deleteQuietly(Path file) {
        try {
            file.getFileSystem().delete(file, false);
        } catch (IOException ignored) {
            // an orphaned hidden temporary file is never read
        }
    }
}
