package io.prefpipe.optimizer.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes folders and files whole or not at all: the content is written under a hidden temporary name next to the
 * target (same file system) and renamed into place by one {@code rename(2)} once complete. Readers, and a crash at any
 * point, see either the previous state or the complete new one; a failed write removes its temporary copy.
 */
public final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    /** Fills a temporary folder or file that becomes the target once this returns. */
    @FunctionalInterface
    public interface Content<T> {
        void writeTo(T target) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Creates the folder {@code target} with what {@code content} writes into the empty folder it is given.
     *
     * @throws FileAlreadyExistsException if {@code target} exists; published folders are never replaced
     */
    public static void writeDirectory(Path target, Content<Path> content) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "published folders are never replaced");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            content.writeTo(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temp);
            throw e;
        }
    }

    /** Writes the file {@code target} with what {@code content} writes to the stream, replacing an existing file. */
    public static void writeFile(Path target, Content<OutputStream> content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Not Files.createTempFile: that makes the file owner-only (0600), and the target would keep that mode.
        Path temp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Removes {@code dir} and everything under it, logging what could not be removed. */
    public static void deleteRecursively(Path dir) {
        ai.djl.util.Utils.deleteQuietly(dir);
        if (Files.exists(dir)) {
            LOG.warn("could not remove {}", dir);
        }
    }
}
