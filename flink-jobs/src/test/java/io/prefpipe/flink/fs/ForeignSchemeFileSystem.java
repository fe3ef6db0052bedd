package io.prefpipe.flink.fs;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A test-only Flink file system under its own scheme, {@value #SCHEME}, registered through Flink's factory mechanism
 * ({@code META-INF/services/org.apache.flink.core.fs.FileSystemFactory}), as an S3 or HDFS plugin would be. It keeps
 * its files in a local folder, but not where the URI's path points: {@code prefpipe-test:///a/b} is
 * {@code <java.io.tmpdir>/prefpipe-test-fs/a/b}. Code that treats a snapshot location as a local path (java.nio, or
 * the URI's path taken as a file name) finds nothing there or fails, so a run that works on this scheme goes through
 * Flink's {@link FileSystem} alone. Its rename refuses to replace a file with an exception, as S3A's does (HDFS's
 * returns false instead; the local one replaces).
 */
public final class ForeignSchemeFileSystem extends FileSystem {
    public static final String SCHEME = "prefpipe-test";

    private final LocalFileSystem local = LocalFileSystem.getSharedInstance();
    private final java.nio.file.Path root = root();

    /** A location on this file system: {@code prefpipe-test:///<path>}. */
    public static URI uri(String path) {
        return URI.create(SCHEME + ":///" + path.replaceFirst("^/+", ""));
    }

    /** The local folder that holds this file system's files. */
    public static java.nio.file.Path root() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "prefpipe-test-fs").toAbsolutePath();
    }

    private Path toLocal(Path p) {
        String path = p.toUri().getPath();
        return new Path(root.resolve(path.replaceFirst("^/+", "")).toUri());
    }

    private Path toForeign(Path localPath) {
        java.nio.file.Path relative = root.relativize(java.nio.file.Path.of(localPath.toUri().getPath()));
        return new Path(uri(relative.toString().replace('\\', '/')));
    }

    private FileStatus foreign(FileStatus s) {
        Path path = toForeign(s.getPath());
        return new FileStatus() {
            @Override
            public long getLen() {
                return s.getLen();
            }

            @Override
            public long getBlockSize() {
                return s.getBlockSize();
            }

            @Override
            public short getReplication() {
                return s.getReplication();
            }

            @Override
            public long getModificationTime() {
                return s.getModificationTime();
            }

            @Override
            public long getAccessTime() {
                return s.getAccessTime();
            }

            @Override
            public boolean isDir() {
                return s.isDir();
            }

            @Override
            public Path getPath() {
                return path;
            }
        };
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri("/"));
    }

    @Override
    public Path getHomeDirectory() {
        return getWorkingDirectory();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return foreign(local.getFileStatus(toLocal(f)));
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) throws IOException {
        return local.getFileBlockLocations(local.getFileStatus(toLocal(file.getPath())), start, len);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return local.open(toLocal(f), bufferSize);
    }

    @Override
    public FSDataInputStream open(Path f) throws IOException {
        return local.open(toLocal(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] statuses = local.listStatus(toLocal(f));
        return statuses == null ? null : Arrays.stream(statuses).map(this::foreign).toArray(FileStatus[]::new);
    }

    @Override
    public boolean exists(Path f) throws IOException {
        return local.exists(toLocal(f));
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        return local.delete(toLocal(f), recursive);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        return local.mkdirs(toLocal(f));
    }

    @Override
    public FSDataOutputStream create(Path f, WriteMode overwrite) throws IOException {
        return local.create(toLocal(f), overwrite);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (local.exists(toLocal(dst))) {
            throw new IOException("cannot rename " + src + " to " + dst + ": destination exists");
        }
        return local.rename(toLocal(src), toLocal(dst));
    }

    @Override
    public boolean isDistributedFS() {
        return true;
    }

    /** Flink's file sink writes through this; only {@link RecoverableWriter#open} takes a path. */
    @Override
    public RecoverableWriter createRecoverableWriter() throws IOException {
        RecoverableWriter writer = local.createRecoverableWriter();
        return new RecoverableWriter() {
            @Override
            public RecoverableFsDataOutputStream open(Path path) throws IOException {
                return writer.open(toLocal(path));
            }

            @Override
            public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
                return writer.recover(resumable);
            }

            @Override
            public boolean requiresCleanupOfRecoverableState() {
                return writer.requiresCleanupOfRecoverableState();
            }

            @Override
            public boolean cleanupRecoverableState(ResumeRecoverable resumable) throws IOException {
                return writer.cleanupRecoverableState(resumable);
            }

            @Override
            public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable resumable)
                    throws IOException {
                return writer.recoverForCommit(resumable);
            }

            @Override
            public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
                return writer.getCommitRecoverableSerializer();
            }

            @Override
            public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
                return writer.getResumeRecoverableSerializer();
            }

            @Override
            public boolean supportsResume() {
                return writer.supportsResume();
            }
        };
    }

    /** Registered in {@code META-INF/services}, as a file system plugin's factory is. */
    public static final class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FileSystem create(URI fsUri) {
            return new ForeignSchemeFileSystem();
        }
    }
}
