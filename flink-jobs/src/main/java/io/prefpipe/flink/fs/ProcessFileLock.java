package io.prefpipe.flink.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hold on an operating-system lock on a local file, shared or exclusive, so that processes on one machine take turns
 * at a folder: the lock works between processes and ends with the process that held it, however that ends. The lock
 * file is never deleted: a lock on a file that another process could delete and create anew would lock nothing.
 *
 * <p>Within one process the holds on a file are counted over one OS lock. On POSIX systems a second channel on the
 * file would fail to lock it, and closing that channel would release the first one's lock (see
 * {@link FileChannel#lock}), so a process takes each lock once: shared holds share it, and a hold that cannot share
 * with the one this process has is refused rather than left to wait for itself.
 */
public final class ProcessFileLock implements AutoCloseable {
    /** Thrown when this process holds the file's lock already in a way the new hold cannot share. */
    public static final class HeldByThisProcessException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final boolean heldShared;

        private HeldByThisProcessException(Path file, boolean heldShared) {
            super("this process holds the " + (heldShared ? "shared" : "exclusive") + " lock on " + file + " already");
            this.heldShared = heldShared;
        }

        /** Whether the hold this process has is a shared one. */
        public boolean heldShared() {
            return heldShared;
        }
    }

    /** An OS lock this process holds, and how many holds share it. */
    private static final class Held {
        private final FileChannel channel;
        private final boolean shared;
        private int holds = 1;

        private Held(FileChannel channel, boolean shared) {
            this.channel = channel;
            this.shared = shared;
        }
    }

    /**
     * The lock files this JVM holds, each read and changed only under its file's monitor in {@link #MONITORS}. Static
     * because the OS lock it stands in for belongs to the process (see the class comment).
     */
    private static final Map<Path, Held> HELD = new ConcurrentHashMap<>();

    /**
     * One monitor per lock file: a hold waiting for another process keeps this JVM's other holds of the same file out
     * until the OS lock is ours, and nothing else (a shared monitor would also keep out holds and releases of other
     * files, which the other process may be waiting for).
     */
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private boolean closed;

    private ProcessFileLock(Path file) {
        this.file = file;
    }

    /**
     * Holds {@code file} with others: waits while another process holds it exclusively, telling {@code onWait} first
     * if it has to wait. Creates the file and its folder if need be.
     *
     * @throws HeldByThisProcessException if this process holds it exclusively
     */
    public static ProcessFileLock shared(Path file, Runnable onWait) throws IOException {
        return hold(file, true, onWait);
    }

    /**
     * Holds {@code file} alone: waits while another process holds it, telling {@code onWait} first if it has to wait.
     * Creates the file and its folder if need be.
     *
     * @throws HeldByThisProcessException if this process holds it already
     */
    public static ProcessFileLock exclusive(Path file, Runnable onWait) throws IOException {
        return hold(file, false, onWait);
    }

    private static ProcessFileLock hold(Path file, boolean shared, Runnable onWait) throws IOException {
        Path real = Files.createDirectories(file.toAbsolutePath().getParent()).toRealPath().resolve(file.getFileName());
        synchronized (MONITORS.computeIfAbsent(real, f -> new Object())) {
            Held held = HELD.get(real);
            if (held != null) {
                if (!shared || !held.shared) {
                    throw new HeldByThisProcessException(real, held.shared);
                }
                held.holds++;
                return new ProcessFileLock(real);
            }
            FileChannel channel = FileChannel.open(real, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                if (channel.tryLock(0, Long.MAX_VALUE, shared) == null) {
                    onWait.run();
                    channel.lock(0, Long.MAX_VALUE, shared);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            HELD.put(real, new Held(channel, shared));
            return new ProcessFileLock(real);
        }
    }

    /** Lets go of this hold; the OS lock goes with the process's last hold on the file. Idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (MONITORS.get(file)) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(file);
            if (--held.holds == 0) {
                HELD.remove(file);
                // closing the channel releases the OS lock
                held.channel.close();
            }
        }
    }
}
