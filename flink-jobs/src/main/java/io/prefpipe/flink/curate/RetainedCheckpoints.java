package io.prefpipe.flink.curate;

import io.prefpipe.flink.fs.FlinkFiles;
import io.prefpipe.flink.fs.Locations;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * Finds the checkpoints a curation job left in its checkpoint folder. Flink writes them as
 * {@code <folder>/<job id>/chk-<n>/}, and a checkpoint is complete once its {@code _metadata} file exists (it is written
 * last). Checkpoints are retained when a job is cancelled or fails, and survive a killed process.
 */
public final class RetainedCheckpoints {
    private static final String METADATA = "_metadata";
    private static final String PREFIX = "chk-";

    private RetainedCheckpoints() {}

    /**
     * The newest complete checkpoint of any job in {@code checkpointDir}: latest {@code _metadata}, then highest
     * checkpoint number.
     *
     * @throws IOException if the folder cannot be read
     */
    public static Optional<Path> latest(Path checkpointDir) throws IOException {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.find(checkpointDir, 3, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().equals(METADATA)
                && p.getParent().getFileName().toString().startsWith(PREFIX))) {
            return walk.map(p -> new Candidate(p.getParent(), modified(p), number(p.getParent())))
                    .max(Comparator.comparing(Candidate::modified).thenComparingLong(Candidate::number))
                    .map(Candidate::dir);
        }
    }

    /**
     * The newest complete checkpoint of job {@code jobId} in {@code checkpointDir}, on any Flink file system: the
     * highest-numbered {@code <checkpointDir>/<jobId>/chk-<n>} that has its {@code _metadata}. That is the checkpoint
     * Flink recovers the job from after a failover (a complete checkpoint removes the ones it subsumes).
     *
     * @throws IOException if the folder cannot be listed
     */
    public static Optional<URI> latestOfJob(URI checkpointDir, String jobId) throws IOException {
        org.apache.flink.core.fs.Path jobDir = new org.apache.flink.core.fs.Path(
                new org.apache.flink.core.fs.Path(checkpointDir), jobId);
        org.apache.flink.core.fs.Path latest = null;
        long latestNumber = -1;
        for (FileStatus status : FlinkFiles.list(jobDir)) {
            long n = status.isDir() ? number(status.getPath().getName()) : -1;
            if (n > latestNumber && FlinkFiles.exists(new org.apache.flink.core.fs.Path(status.getPath(), METADATA))) {
                latest = status.getPath();
                latestNumber = n;
            }
        }
        return Optional.ofNullable(latest).map(org.apache.flink.core.fs.Path::toUri);
    }

    /** {@link #checkpointId(URI)} of a local folder. */
    public static long checkpointId(Path checkpointOrSavepoint) throws IOException {
        return checkpointId(Locations.of(checkpointOrSavepoint));
    }

    /**
     * The id of a retained checkpoint or a savepoint, on any Flink file system: the one its {@code _metadata} file
     * records (a savepoint's folder name does not carry it).
     *
     * @throws IOException naming the folder if it holds no readable {@code _metadata}
     */
    public static long checkpointId(URI checkpointOrSavepoint) throws IOException {
        org.apache.flink.core.fs.Path metadata = new org.apache.flink.core.fs.Path(
                new org.apache.flink.core.fs.Path(checkpointOrSavepoint), METADATA);
        try {
            return FlinkFiles.read(metadata, in -> Checkpoints.loadCheckpointMetadata(new DataInputStream(
                    new BufferedInputStream(in)), RetainedCheckpoints.class.getClassLoader(),
                    checkpointOrSavepoint.toString()).getCheckpointId());
        } catch (IOException e) {
            throw new IOException("cannot read the checkpoint id of " + checkpointOrSavepoint + " from its "
                    + METADATA + ": " + e.getMessage(), e);
        }
    }

    private record Candidate(Path dir, FileTime modified, long number) {}

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long number(Path chk) {
        return number(chk.getFileName().toString());
    }

    /** n of a folder named {@code chk-<n>}, or −1 for any other name. */
    private static long number(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
