package io.prefpipe.app.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes a process the only one running the loop of a folder, for as long as it holds this: an OS file lock on
 * {@value #FILE_NAME} in the loop's folder, whose text names the holder (pid, host, start time) so that a second
 * process can say who is in its way. Two processes on one loop would cut, train and publish the same iterations and
 * overwrite each other's journal.
 *
 * <p>The OS releases the lock when its process ends, however it ends, so the file a crashed process leaves behind never
 * blocks a restart; that is why the file is not deleted on {@link #close} either (deleting it would let a process that
 * opened it just before lock the deleted file while a third one locks a new one).
 *
 * <p>The OS lock belongs to the process, and on POSIX systems closing any descriptor of the file in the holding process
 * releases it (see {@link FileLock}): a second loop in the same JVM must not so much as open the file. So the folders
 * this JVM holds are kept in {@link #HELD}, static because the OS lock it stands in for is per process too.
 */
public final class LoopLock implements AutoCloseable {
    public static final String FILE_NAME = "loop.lock";

    /** The lock files this JVM holds (real paths), with the description written into each. */
    private static final ConcurrentMap<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;

    private LoopLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Locks the loop folder {@code dir} (created if missing) for this process.
     *
     * @throws LoopRefusedException naming the folder and the holder, if another process (or another loop in this JVM)
     *     holds it
     * @throws IOException if the lock file cannot be created or written
     */
    public static LoopLock acquire(Path dir) throws IOException {
        Path file = Files.createDirectories(dir).toRealPath().resolve(FILE_NAME);
        String description = description();
        String holder = HELD.putIfAbsent(file, description);
        if (holder != null) {
            throw refusal(dir, file, holder + " (this process)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // this JVM holds a lock on the file that HELD does not know of: it is held all the same
                lock = null;
            }
            if (lock == null) {
                throw refusal(dir, file, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((description + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new LoopLock(file, channel);
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                HELD.remove(file);
            }
            throw e;
        }
    }

    /** Releases the lock; the file stays (see the class comment). Idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            // closing the channel releases the lock
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the loop lock " + file, e);
        } finally {
            HELD.remove(file);
        }
    }

    /** This process, as the lock file names it. */
    private static String description() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "an unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on host " + host + " since " + Instant.now();
    }

    private static LoopRefusedException refusal(Path dir, Path file, String holder) {
        return new LoopRefusedException("the loop folder " + dir + " is in use by " + holder + " (lock " + file
                + "); stop that process first, or give this loop another dir");
    }

    /** Who the lock file of another process says holds it (read by a process that does not hold it). */
    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            // the holder writes its line right after locking: empty means it is doing so now
            return text.isEmpty() ? "another process (which has not written its pid yet)" : text;
        } catch (IOException e) {
            return "another process (the lock file cannot be read: " + e.getMessage() + ")";
        }
    }
}
