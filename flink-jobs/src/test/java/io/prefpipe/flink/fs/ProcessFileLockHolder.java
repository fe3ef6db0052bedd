package io.prefpipe.flink.fs;

import java.nio.file.Path;

/**
 * Holds the exclusive {@link ProcessFileLock} on {@code args[0]} in a JVM of its own, for tests of what waits for
 * another process: prints {@code held}, and holds it until its standard input ends or it is killed.
 */
public final class ProcessFileLockHolder {
    private ProcessFileLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (ProcessFileLock lock = ProcessFileLock.exclusive(Path.of(args[0]), () -> { })) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() != -1) {
                // waits for the test to close the pipe (or to kill this process)
            }
        }
    }
}
