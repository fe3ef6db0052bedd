package io.prefpipe.app;

import io.prefpipe.flink.fs.ProcessFileLock;
import java.nio.file.Path;

/**
 * Holds the snapshot cache in {@code args[0]} in a JVM of its own, for {@link SnapshotCacheTest}: for reading when
 * {@code args[1]} is {@code read}, for pruning when it is {@code prune}. Prints {@code waiting} if it has to wait, then
 * {@code held}, and holds the cache until its standard input ends or it is killed.
 */
public final class SnapshotCacheHolder {
    private SnapshotCacheHolder() {}

    public static void main(String[] args) throws Exception {
        SnapshotCache cache = new SnapshotCache(Path.of(args[0]));
        Runnable waiting = () -> {
            System.out.println("waiting");
            System.out.flush();
        };
        try (ProcessFileLock hold = args[1].equals("read") ? cache.holdForReading(waiting)
                : cache.holdForPruning(waiting)) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() != -1) {
                // waits for the test to close the pipe (or to kill this process)
            }
        }
    }
}
